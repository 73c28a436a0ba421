package dev.stride.runner.api;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * What one train or val step reports: named scalars averaged over the batch (e.g. {@code loss},
 * {@code accuracy}) and the number of samples they cover, so that averages over an epoch are
 * weighted by sample count.
 */
@API(status = API.Status.STABLE, since = "0.1")
public record StepOutput(Map<String, Double> scalars, int samples) {
    public StepOutput {
        // insertion order is kept: it is the order of the keys in log lines
        scalars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scalars));
    }

    /** The scalar, or NaN when the step did not report it. */
    public double get(String name) {
        Double v = scalars.get(name);
        return v == null ? Double.NaN : v;
    }
}
