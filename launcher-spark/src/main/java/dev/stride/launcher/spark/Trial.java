package dev.stride.launcher.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a sweep: its number and the value of each grid key (HOCON text). Its work dir,
 * {@code trial_<i>_<key=value>...}, is a pure function of both, so a retried or re-run trial finds
 * its own checkpoints.
 */
record Trial(int index, Map<String, String> settings)
        implements Serializable { // java-serialization: Spark ships the trials to the executors as the RDD's elements
    private static final long serialVersionUID = 1L;
    private static final int MAX_NAME = 150;

    Trial {
        settings = new LinkedHashMap<>(settings);
    }

    /** E.g. {@code trial_1_optimizer.lr=0.05_model.hidden=128}. */
    String name() {
        StringBuilder sb = new StringBuilder("trial_").append(index);
        settings.forEach((k, v) -> sb.append('_').append(k).append('=').append(readable(v)));
        String name = sb.toString();
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }

    /** The {@code --set key=value} overrides of this trial. */
    List<String> overrides() {
        List<String> out = new ArrayList<>();
        settings.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** A value as a file name part: {@code [128,64]} becomes {@code 128-64}, quotes go. */
    private static String readable(String hocon) {
        String s = hocon.replaceAll("[\\[\\]\"{}]", "").replaceAll("[,:\\s]+", "-");
        s = s.replaceAll("[^A-Za-z0-9._+=-]", "-");
        return s.isEmpty() ? "empty" : s;
    }
}
