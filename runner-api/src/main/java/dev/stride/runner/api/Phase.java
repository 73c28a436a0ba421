package dev.stride.runner.api;

import org.apiguardian.api.API;

/**
 * One entry of a {@link Workflow}: run {@code count} epochs (epoch runner) or iterations (iter
 * runner) of {@code mode}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Phase(Mode mode, int count) {
    public Phase {
        if (mode == null) {
            throw new IllegalArgumentException("a phase needs a mode");
        }
        if (count < 1) {
            throw new IllegalArgumentException("the count of phase " + mode + " must be at least 1, was " + count);
        }
    }

    @Override
    public String toString() {
        return "[" + mode + ", " + count + "]";
    }
}
