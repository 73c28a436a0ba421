package dev.stride.launcher.job;

import dev.stride.runner.api.Runner;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (preemption) and SIGINT (Ctrl-C) stop the run after the current iteration, with a
 * checkpoint. A second SIGINT stops at once; checkpoint writes are atomic, so nothing is damaged.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    private Signals() {}

    public static void install(Runner runner) {
        Signal.handle(new Signal("TERM"), s -> {
            LOG.warn("SIGTERM: stopping after this iteration, with a checkpoint");
            runner.interrupt("SIGTERM");
        });
        AtomicInteger count = new AtomicInteger();
        Signal.handle(new Signal("INT"), s -> {
            if (count.incrementAndGet() > 1) {
                Runtime.getRuntime().halt(dev.stride.launcher.Failures.SIGINT);
            }
            LOG.warn("SIGINT: stopping after this iteration, with a checkpoint (Ctrl-C again stops at once)");
            runner.interrupt("SIGINT");
        });
    }
}
