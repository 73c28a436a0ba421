package dev.stride.hooks.builtin.testing;

/** The one parameter a {@link FakeModel} trains and a {@link FakeOptimizer} updates, with its gradient. */
public final class Weights {
    public double w = 1.0;
    public double grad;
}
