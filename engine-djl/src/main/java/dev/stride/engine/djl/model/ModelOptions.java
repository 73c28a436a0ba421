package dev.stride.engine.djl.model;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.support.Problems;
import dev.stride.runner.api.support.Settings;
import java.util.List;

/** Options every classifier shares. */
record ModelOptions(int classes, double dropout, int[] topk) {
    static ModelOptions of(Config options, DataSpec data) {
        int classes = Settings.intIn(options, "num-classes", 0, 1 << 20);
        if (classes == 0) {
            classes = data.numClasses();
        }
        double dropout = Settings.doubleIn(options, "dropout", 0, 0.99);
        List<Integer> k = options.getIntList("topk");
        for (int v : k) {
            if (v < 1) {
                throw new BadInputException(Problems.where(options.getValue("topk").origin()) + "topk: " + v + " is not >= 1");
            }
        }
        return new ModelOptions(classes, dropout, k.stream().mapToInt(Integer::intValue).toArray());
    }

    static int[] positive(Config options, String key) {
        List<Integer> v = options.getIntList(key);
        for (int x : v) {
            if (x < 1) {
                throw new BadInputException(Problems.where(options.getValue(key).origin()) + key + ": " + v
                        + " must hold positive sizes");
            }
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }
}
