package dev.stride.runner.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowTest {
    @Test
    void emptyWorkflowIsRejectedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Workflow::of);
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertTrue(e.getMessage().contains("[[train, 1]]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Workflow(List.of()));
    }

    @Test
    void workflowWithoutTrainPhaseIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Workflow.of(new Phase(Mode.VAL, 1), new Phase(Mode.VAL, 2)));
        assertTrue(e.getMessage().contains("no train phase"), e.getMessage());
        assertTrue(e.getMessage().contains("[[val, 1], [val, 2]]"), e.getMessage());
        assertTrue(e.getMessage().contains("[train, N]"), e.getMessage());
    }

    @Test
    void phaseNeedsAModeAndAPositiveCount() {
        assertThrows(IllegalArgumentException.class, () -> new Phase(null, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Phase(Mode.TRAIN, 0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Phase(Mode.VAL, -3));
    }

    @Test
    void validWorkflowKeepsItsPhasesAndIsImmutable() {
        List<Phase> phases = new ArrayList<>(List.of(new Phase(Mode.TRAIN, 2), new Phase(Mode.VAL, 1)));
        Workflow w = new Workflow(phases);
        phases.clear();
        assertEquals(2, w.size());
        assertEquals(new Phase(Mode.TRAIN, 2), w.get(0));
        assertEquals(new Phase(Mode.VAL, 1), w.get(1));
        assertEquals(EnumSet.of(Mode.TRAIN, Mode.VAL), w.modes());
        assertEquals(EnumSet.of(Mode.TRAIN), Workflow.of(new Phase(Mode.TRAIN, 1)).modes());
        assertEquals("[[train, 2], [val, 1]]", w.toString());
        assertThrows(UnsupportedOperationException.class, () -> w.phases().add(new Phase(Mode.TRAIN, 1)));
    }

    @Test
    void modeParsesIdsOnly() {
        assertEquals(Mode.TRAIN, Mode.parse("train"));
        assertEquals(Mode.VAL, Mode.parse("val"));
        assertEquals("val", Mode.VAL.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("test"));
        assertTrue(e.getMessage().contains("train or val"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("TRAIN"));
    }
}
