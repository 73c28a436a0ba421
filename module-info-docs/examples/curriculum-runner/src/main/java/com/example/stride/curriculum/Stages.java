package com.example.stride.curriculum;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.stride.runner.api.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code stages} option: until which train epoch which fraction of the batches is used. */
final class Stages {
    private static final Set<String> KEYS = Set.of("until-epoch", "fraction");

    /** 1-based, inclusive, strictly increasing. */
    private final int[] untilEpoch;
    /** Each in (0, 1]. */
    private final double[] fraction;

    private Stages(int[] untilEpoch, double[] fraction) {
        this.untilEpoch = untilEpoch;
        this.fraction = fraction;
    }

    /** Reads {@code stages = [{ until-epoch = 2, fraction = 0.25 }, ...]}, naming the stage of a bad value. */
    static Stages of(Config options) {
        List<? extends Config> list;
        try {
            list = options.getConfigList("stages");
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage() + ": write stages = [{ until-epoch = 2, fraction = 0.25 }, ...]");
        }
        int[] until = new int[list.size()];
        double[] fraction = new double[list.size()];
        for (int i = 0; i < list.size(); i++) {
            Config stage = list.get(i);
            String at = "stages[" + i + "]: ";
            for (String key : stage.root().keySet()) {
                if (!KEYS.contains(key)) {
                    throw new BadInputException(at + "unknown key '" + key + "': a stage has until-epoch and fraction");
                }
            }
            try {
                until[i] = stage.getInt("until-epoch");
                fraction[i] = stage.getDouble("fraction");
            } catch (ConfigException e) {
                throw new BadInputException(at + e.getMessage() + ": a stage is { until-epoch = 2, fraction = 0.25 }");
            }
            if (until[i] < 1 || i > 0 && until[i] <= until[i - 1]) {
                throw new BadInputException(at + "until-epoch " + until[i]
                        + " must be at least 1 and greater than the previous stage's");
            }
            if (!(fraction[i] > 0 && fraction[i] <= 1)) {
                throw new BadInputException(at + "fraction " + fraction[i] + " must be in (0, 1]");
            }
        }
        return new Stages(until, fraction);
    }

    /** The train batches of {@code epoch} (0-based) out of {@code full}: the stage's fraction rounded up, at least 1. */
    int batches(int epoch, int full) {
        for (int i = 0; i < untilEpoch.length; i++) {
            if (epoch < untilEpoch[i]) {
                return (int) Math.max(1, Math.min(full, Math.ceil(fraction[i] * full)));
            }
        }
        return full;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < untilEpoch.length; i++) {
            parts.add("{until-epoch=" + untilEpoch[i] + ", fraction=" + fraction[i] + "}");
        }
        return parts.toString();
    }
}
