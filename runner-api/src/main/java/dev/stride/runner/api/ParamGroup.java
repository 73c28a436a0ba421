package dev.stride.runner.api;

import org.apiguardian.api.API;

/**
 * A group of parameters sharing hyper-parameters. Schedules change {@link #lr()} and
 * {@link #momentum()} between steps; the optimizer reads them at each step.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ParamGroup {
    private final String name;
    private double lr;
    private double momentum;

    public ParamGroup(String name, double lr, double momentum) {
        this.name = name;
        this.lr = lr;
        this.momentum = momentum;
    }

    public String name() {
        return name;
    }

    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        this.lr = lr;
    }

    /** The momentum (SGD) or first-moment decay beta1 (Adam). */
    public double momentum() {
        return momentum;
    }

    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }
}
