package dev.stride.launcher.job;

import dev.stride.runner.api.Runner;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (preemption), SIGHUP (the terminal closed) and SIGINT (Ctrl-C) stop the run after the
 * current iteration, with a checkpoint. A second SIGINT stops at once; checkpoint writes are
 * atomic, so nothing is damaged. A signal the process was started to ignore (SIGHUP under
 * {@code nohup}) stays ignored.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    private Signals() {}

    public static void install(Runner runner) {
        for (String name : new String[] {"TERM", "HUP"}) {
            handle(name, s -> {
                LOG.warn("SIG{}: stopping after this iteration, with a checkpoint", name);
                runner.interrupt("SIG" + name);
            });
        }
        AtomicInteger count = new AtomicInteger();
        handle("INT", s -> {
            if (count.incrementAndGet() > 1) {
                Runtime.getRuntime().halt(dev.stride.launcher.Failures.SIGINT);
            }
            LOG.warn("SIGINT: stopping after this iteration, with a checkpoint (Ctrl-C again stops at once)");
            runner.interrupt("SIGINT");
        });
    }

    private static void handle(String name, sun.misc.SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException unavailable) {
            // the JVM runs with -Xrs, or the platform lacks the signal: its default stays
            LOG.debug("SIG{} cannot be handled here: {}", name, unavailable.getMessage());
        }
    }
}
