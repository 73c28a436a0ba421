package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Workflow;
import dev.stride.launcher.Problems;
import dev.stride.runner.api.internal.Suggestions;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code workflow = [[train, 2], [val, 1]]}. */
public final class Workflows {
    private Workflows() {}

    /** The workflow, or null with the problems recorded. */
    public static Workflow read(Config config, Problems problems) {
        ConfigValue v = config.getValue("workflow");
        if (v.valueType() != ConfigValueType.LIST) {
            problems.add(v.origin(), "workflow", "expected a list of [mode, count] pairs such as [[train, 1], [val, 1]]");
            return null;
        }
        List<Phase> phases = new ArrayList<>();
        boolean ok = true;
        int i = 0;
        for (ConfigValue item : (ConfigList) v) {
            String at = "workflow[" + i++ + "]";
            if (item.valueType() != ConfigValueType.LIST || ((ConfigList) item).size() != 2) {
                problems.add(item.origin(), at, "expected a pair [mode, count] such as [train, 1]");
                ok = false;
                continue;
            }
            ConfigList pair = (ConfigList) item;
            String mode = String.valueOf(pair.get(0).unwrapped());
            Mode m = null;
            try {
                m = Mode.parse(mode);
            } catch (IllegalArgumentException e) {
                problems.add(pair.get(0).origin(), at, "unknown mode '" + mode + "'"
                        + Suggestions.didYouMean(mode, List.of("train", "val")) + "; the modes are train and val");
                ok = false;
            }
            Object count = pair.get(1).unwrapped();
            if (!(count instanceof Integer c) || c < 1) {
                problems.add(pair.get(1).origin(), at, "the count must be a whole number >= 1, got " + count);
                ok = false;
            } else if (m != null) {
                phases.add(new Phase(m, c));
            }
        }
        if (!ok) {
            return null;
        }
        try {
            return new Workflow(phases);
        } catch (IllegalArgumentException e) {
            problems.add(v.origin(), "workflow", e.getMessage());
            return null;
        }
    }
}
