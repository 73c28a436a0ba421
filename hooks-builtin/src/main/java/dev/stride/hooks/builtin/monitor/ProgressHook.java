package dev.stride.hooks.builtin.monitor;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.Durations;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code progress}: shows how far training is and when it will end. On a terminal (the JVM has a
 * console) a bar {@code width} characters wide is redrawn in place on standard output, at most ten
 * times a second; otherwise (output to a file or a pipe) a plain line is printed every
 * {@code interval} train iterations, so logs stay readable. The ETA extrapolates the time per
 * train iteration of this run so far, val phases included, to the iterations left.
 */
public final class ProgressHook implements Hook {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final int interval;
    private final int width;
    private final boolean terminal;
    private final PrintStream out;
    private final LongSupplier clock;
    private long startNanos;
    private long startIter;
    private long lastDraw;
    private int lastLength;
    private boolean barOpen;

    public ProgressHook(Config options) {
        this(Settings.intIn(options, "interval", 1, Integer.MAX_VALUE), Settings.intIn(options, "width", 5, 500),
                System.console() != null, System.out, System::nanoTime);
    }

    /** For tests: where the output goes, whether it is a terminal, and the clock. */
    ProgressHook(int interval, int width, boolean terminal, PrintStream out, LongSupplier clock) {
        this.interval = interval;
        this.width = width;
        this.terminal = terminal;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "progress";
    }

    @Override
    public void beforeRun(Runner runner) {
        startNanos = clock.getAsLong();
        startIter = runner.iter();
        lastDraw = startNanos - REDRAW_NANOS;
    }

    @Override
    public void afterTrainIter(Runner runner) {
        if (!runner.isMainProcess()) {
            return;
        }
        boolean last = Intervals.lastIter(runner) || runner.byEpoch() && Intervals.endOfEpoch(runner);
        if (terminal) {
            long now = clock.getAsLong();
            if (last || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw(trainBar(runner, now));
            }
        } else if (Intervals.everyNIters(runner, interval) || Intervals.lastIter(runner)) {
            out.println("progress: " + trainStatus(runner, clock.getAsLong()));
        }
    }

    @Override
    public void beforeValEpoch(Runner runner) {
        endBar();
    }

    @Override
    public void afterValIter(Runner runner) {
        if (terminal && runner.isMainProcess()) {
            long now = clock.getAsLong();
            if (runner.innerIter() + 1 == runner.phaseLength() || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw("val " + bar(runner.innerIter() + 1, runner.phaseLength()) + " " + (runner.innerIter() + 1) + "/"
                        + runner.phaseLength());
            }
        }
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        endBar();
    }

    @Override
    public void afterValEpoch(Runner runner) {
        endBar();
    }

    @Override
    public void afterRun(Runner runner) {
        endBar();
        if (runner.isMainProcess()) {
            long done = runner.iter() - startIter;
            out.println("progress: done, " + done + " iterations in " + Durations.hms(seconds(clock.getAsLong())));
        }
    }

    private String trainBar(Runner runner, long now) {
        long done = runner.iter() + 1;
        String head = runner.byEpoch()
                ? "Epoch " + (runner.epoch() + 1) + "/" + runner.maxEpochs() + " " + bar(runner.innerIter() + 1,
                        runner.phaseLength()) + " " + (runner.innerIter() + 1) + "/" + runner.phaseLength() + ", "
                : "Iter " + bar(done, runner.maxIters()) + " ";
        return head + trainStatus(runner, now);
    }

    /** {@code epoch 1/4, iter 50/500 (10%), 12.5 it/s, eta 0:00:36}. */
    private String trainStatus(Runner runner, long now) {
        long done = runner.iter() + 1;
        double elapsed = (now - startNanos) / 1e9;
        long run = done - startIter;
        double rate = elapsed > 0 ? run / elapsed : 0;
        long eta = run > 0 ? Math.round(elapsed / run * (runner.maxIters() - done)) : 0;
        String epoch = runner.byEpoch() ? "epoch " + (runner.epoch() + 1) + "/" + runner.maxEpochs() + ", " : "";
        return String.format(Locale.ROOT, "%siter %d/%d (%d%%), %.1f it/s, eta %s", epoch, done, runner.maxIters(),
                done * 100 / Math.max(1, runner.maxIters()), rate, Durations.hms(eta));
    }

    /** {@code [#####.....]}, {@code width} characters between the brackets. */
    String bar(long done, long total) {
        int filled = (int) Math.min(width, total <= 0 ? width : done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private void draw(String text) {
        // the cursor goes back to the start of the line, so a log line printed next overwrites the bar
        out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())) + "\r");
        out.flush();
        lastLength = text.length();
        barOpen = true;
    }

    private void endBar() {
        if (barOpen) {
            out.println();
            out.flush();
            barOpen = false;
            lastLength = 0;
        }
    }

    private long seconds(long now) {
        return (now - startNanos) / 1_000_000_000L;
    }
}
