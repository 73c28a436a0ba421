package dev.stride.runner.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.mockito.MockMakers;

class HookChainTest {
    private final Runner runner = mock(Runner.class);

    /** Appends {@code "<label> <stage>"} to a shared log at the two stages these tests call, and counts its calls. */
    private static final class Logging implements Hook {
        private final String label;
        private final List<String> log;
        int calls;

        Logging(String label, List<String> log) {
            this.label = label;
            this.log = log;
        }

        private void record(String stage) {
            calls++;
            log.add(label + " " + stage);
        }

        @Override
        public void beforeRun(Runner r) {
            record("beforeRun");
        }

        @Override
        public void afterTrainIter(Runner r) {
            record("afterTrainIter");
        }
    }

    @Test
    void lowerPriorityRunsFirstAndTiesKeepRegistrationOrder() {
        List<String> log = new ArrayList<>();
        HookChain chain = new HookChain();
        Logging low = new Logging("low", log);
        Logging normal1 = new Logging("normal1", log);
        Logging high = new Logging("high", log);
        Logging normal2 = new Logging("normal2", log);
        Logging zero = new Logging("zero", log);
        Logging normal3 = new Logging("normal3", log);
        chain.register(low, Priority.LOW.value());
        chain.register(normal1, Priority.NORMAL.value());
        chain.register(high, Priority.HIGH.value());
        chain.register(normal2, 50);
        chain.register(zero, 0);
        chain.register(normal3, Priority.NORMAL.value());

        assertEquals(List.of(zero, high, normal1, normal2, normal3, low), chain.hooks());
        assertEquals(50, chain.priorityOf(normal2));
        assertEquals(0, chain.priorityOf(zero));
        assertEquals(-1, chain.priorityOf(new Logging("unregistered", log)));

        chain.call(Stage.AFTER_TRAIN_ITER, runner);
        chain.call(Stage.BEFORE_RUN, runner);
        List<String> names = log.stream().map(s -> s.substring(0, s.indexOf(' '))).toList();
        assertEquals(List.of("zero", "high", "normal1", "normal2", "normal3", "low",
                "zero", "high", "normal1", "normal2", "normal3", "low"), names);
        assertTrue(log.get(0).startsWith("zero afterTrainIter"), log.get(0));
        assertTrue(log.get(6).startsWith("zero beforeRun"), log.get(6));
    }

    /**
     * A mock whose class declares every hook method (a {@link java.lang.reflect.Proxy}). The inline
     * mock maker intercepts the interface's default methods in place, so its mocks look as if they
     * overrode nothing and the chain, which skips hooks that do not act at a stage, never calls them.
     */
    private static Hook mockHook() {
        return mock(Hook.class, withSettings().mockMaker(MockMakers.PROXY));
    }

    @Test
    void mockedHooksAreCalledInPriorityOrder() {
        Hook a = mockHook();
        Hook b = mockHook();
        Hook c = mockHook();
        HookChain chain = new HookChain();
        chain.register(c, 90);
        chain.register(a, 10);
        chain.register(b, 10);
        chain.call(Stage.BEFORE_VAL_EPOCH, runner);
        InOrder order = inOrder(a, b, c);
        order.verify(a).beforeValEpoch(runner);
        order.verify(b).beforeValEpoch(runner);
        order.verify(c).beforeValEpoch(runner);
        verify(a, never()).beforeTrainEpoch(runner);
        verifyNoMoreInteractions(a, b, c);
    }

    @Test
    void priorityOutside0To100IsRejected() {
        HookChain chain = new HookChain();
        assertThrows(IllegalArgumentException.class, () -> chain.register(new Hook() {}, 101));
        assertThrows(IllegalArgumentException.class, () -> chain.register(new Hook() {}, -1));
        assertTrue(chain.hooks().isEmpty());
    }

    /** Counts every stage at which it is called; overrides only {@link Hook#afterIter}. */
    static final class AfterIterOnly implements Hook {
        int calls;

        @Override
        public void afterIter(Runner r) {
            calls++;
        }
    }

    /** Overrides only {@link Hook#beforeEpoch}. */
    static final class BeforeEpochOnly implements Hook {
        int calls;

        @Override
        public void beforeEpoch(Runner r) {
            calls++;
        }
    }

    private static Map<Stage, Integer> callsPerStage(Hook hook, java.util.function.IntSupplier counter) {
        Map<Stage, Integer> calls = new EnumMap<>(Stage.class);
        HookChain chain = new HookChain();
        chain.register(hook, 50);
        for (Stage s : Stage.values()) {
            int before = counter.getAsInt();
            chain.call(s, mock(Runner.class));
            if (counter.getAsInt() != before) {
                calls.put(s, counter.getAsInt() - before);
            }
        }
        return calls;
    }

    @Test
    void aHookOverridingOnlyAfterIterIsCalledAfterTrainAndValIters() {
        AfterIterOnly h = new AfterIterOnly();
        assertEquals(Map.of(Stage.AFTER_TRAIN_ITER, 1, Stage.AFTER_VAL_ITER, 1), callsPerStage(h, () -> h.calls));
        assertTrue(Stage.AFTER_TRAIN_ITER.isImplementedBy(h));
        assertTrue(Stage.AFTER_VAL_ITER.isImplementedBy(h));
        assertTrue(!Stage.BEFORE_TRAIN_ITER.isImplementedBy(h));
        assertTrue(!Stage.AFTER_RUN.isImplementedBy(h));
    }

    @Test
    void aHookOverridingOnlyBeforeEpochIsCalledBeforeEveryKindOfEpoch() {
        BeforeEpochOnly h = new BeforeEpochOnly();
        assertEquals(Map.of(Stage.BEFORE_EPOCH, 1, Stage.BEFORE_TRAIN_EPOCH, 1, Stage.BEFORE_VAL_EPOCH, 1),
                callsPerStage(h, () -> h.calls));
    }

    @Test
    void aHookOverridingNothingIsNeverCalled() {
        Hook nothing = new Hook() {};
        for (Stage s : Stage.values()) {
            assertTrue(!s.isImplementedBy(nothing), s.toString());
        }
    }

    static final class Exploding implements Hook {
        final RuntimeException error;

        Exploding(RuntimeException error) {
            this.error = error;
        }

        @Override
        public String name() {
            return "exploding";
        }

        @Override
        public void afterTrainIter(Runner r) {
            throw error;
        }
    }

    @Test
    void aThrowingHookIsWrappedNamingHookStageEpochAndIter() {
        when(runner.epoch()).thenReturn(2);
        when(runner.iter()).thenReturn(345L);
        IllegalStateException boom = new IllegalStateException("boom");
        Exploding hook = new Exploding(boom);
        Logging later = new Logging("later", new ArrayList<>());
        HookChain chain = new HookChain();
        chain.register(hook, 10);
        chain.register(later, 20);

        HookFailedException e = assertThrows(HookFailedException.class, () -> chain.call(Stage.AFTER_TRAIN_ITER, runner));
        assertSame(boom, e.getCause());
        assertSame(hook, e.hook());
        assertEquals(Stage.AFTER_TRAIN_ITER, e.stage());
        String m = e.getMessage();
        assertTrue(m.contains("'exploding'"), m);
        assertTrue(m.contains(Exploding.class.getName()), m);
        assertTrue(m.contains("afterTrainIter"), m);
        assertTrue(m.contains("epoch 3"), "the epoch is 1-based in messages, as in logs: " + m);
        assertTrue(m.contains("iter 345"), m);
        assertTrue(m.contains("boom"), m);
        assertEquals(0, later.calls, "the hooks after a failing one are not called");
    }

    @Test
    void errorsOtherThanStackOverflowAreWrappedToo() {
        AssertionError bug = new AssertionError("bad state");
        Hook h = new Hook() {
            @Override
            public void beforeRun(Runner r) {
                throw bug;
            }
        };
        HookChain chain = new HookChain();
        chain.register(h, 50);
        HookFailedException e = assertThrows(HookFailedException.class, () -> chain.call(Stage.BEFORE_RUN, runner));
        assertSame(bug, e.getCause());
        assertTrue(e.getMessage().contains("beforeRun"), e.getMessage());

        HookChain deep = new HookChain();
        deep.register(new Hook() {
            @Override
            public void beforeRun(Runner r) {
                throw new StackOverflowError();
            }
        }, 50);
        assertThrows(StackOverflowError.class, () -> deep.call(Stage.BEFORE_RUN, runner));
    }

    @Test
    void badInputExceptionPassesThroughUnchanged() {
        BadInputException mistake = new BadInputException("hooks[2].interval: must be positive");
        HookChain chain = new HookChain();
        chain.register(new Exploding(mistake), 50);
        BadInputException e = assertThrows(BadInputException.class, () -> chain.call(Stage.AFTER_TRAIN_ITER, runner));
        assertSame(mistake, e);
    }

    @Test
    void hookFailedExceptionFromANestedChainIsNotWrappedTwice() {
        HookChain inner = new HookChain();
        inner.register(new Exploding(new IllegalStateException("inner")), 50);
        HookFailedException first = assertThrows(HookFailedException.class, () -> inner.call(Stage.AFTER_TRAIN_ITER, runner));
        HookChain outer = new HookChain();
        outer.register(new Hook() {
            @Override
            public void afterTrainIter(Runner r) {
                throw first;
            }
        }, 50);
        assertSame(first, assertThrows(HookFailedException.class, () -> outer.call(Stage.AFTER_TRAIN_ITER, runner)));
    }

    /** The JVM's own errors are the machine's, not the hook's: they pass unwrapped to the out-of-memory report. */
    @Test
    void outOfMemoryAndStackOverflowInAHookPassUnwrapped() {
        for (VirtualMachineError error : List.of(new OutOfMemoryError("Java heap space"), new StackOverflowError())) {
            HookChain chain = new HookChain();
            chain.register(new Hook() {
                @Override
                public void afterTrainIter(Runner r) {
                    throw error;
                }
            }, 50);
            VirtualMachineError thrown = assertThrows(VirtualMachineError.class, () -> chain.call(Stage.AFTER_TRAIN_ITER, null));
            assertSame(error, thrown);
        }
    }
}
