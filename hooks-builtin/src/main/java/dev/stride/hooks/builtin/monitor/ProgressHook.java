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
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;

/**
 * {@code progress}: shows how far training is and when it will end. On a terminal, a bar (drawn
 * by the progressbar library) lives on the last line: one per train epoch or phase and per val
 * phase, with the run's ETA; the loggers' lines are printed above it without overwriting it, and
 * it is cut to the terminal's width (read with JLine), so it never wraps. Otherwise (output to a
 * file or a pipe) a plain line is printed every {@code interval} train iterations, so logs stay
 * readable. The ETA extrapolates the time per train iteration of this run so far, val phases
 * included, to the iterations left.
 */
public final class ProgressHook implements Hook {
    private final int interval;
    private final int maxWidth;
    private final boolean terminal;
    private final PrintStream out;
    private final LongSupplier clock;
    private long startNanos;
    private long startIter;
    /** Plain lines every this many iterations, 0 for none: {@link #interval} or its default. */
    private int plainEvery;
    private @Nullable Screen screen;
    private @Nullable ProgressBar bar;
    private boolean barIsVal;

    public ProgressHook(Config options) {
        this(options.getIsNull("interval") ? 0 : Settings.intIn(options, "interval", 1, Integer.MAX_VALUE),
                Settings.intIn(options, "width", 0, 1000),
                System.console() != null, System.out, System::nanoTime);
    }

    /**
     * For tests: where the output goes, whether it is a terminal, and the clock.
     *
     * @param interval plain lines every this many iterations; 0: none when a text logger prints
     *     lines, else every 50
     */
    ProgressHook(int interval, int maxWidth, boolean terminal, PrintStream out, LongSupplier clock) {
        this.interval = interval;
        this.maxWidth = maxWidth;
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
        if (interval == 0) {
            boolean logged = runner.hooks().stream().anyMatch(h -> h instanceof dev.stride.hooks.builtin.logging.TextLoggerHook);
            plainEvery = logged ? 0 : 50;
        } else {
            plainEvery = interval;
        }
        if (terminal && runner.isMainProcess()) {
            int columns = maxWidth > 0 ? maxWidth : terminalWidth();
            screen = new Screen(out, columns);
            if (out == System.out) {
                System.setOut(screen); // the loggers print through the screen, above the bar
            }
        }
    }

    /** The terminal's columns, from JLine; 80 when it cannot tell. */
    private static int terminalWidth() {
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).streams(System.in, System.out).build()) {
            int w = t.getWidth();
            return w > 0 ? w : 80;
        } catch (Exception | LinkageError e) {
            return 80;
        }
    }

    @Override
    public void afterTrainIter(Runner runner) {
        if (!runner.isMainProcess()) {
            return;
        }
        if (screen != null) {
            long max = runner.byEpoch() ? runner.phaseLength() : runner.maxIters();
            long done = runner.byEpoch() ? runner.innerIter() + 1 : runner.iter() + 1;
            String task = runner.byEpoch() ? "Epoch " + (runner.epoch() + 1) + "/" + runner.maxEpochs() : "Train";
            ProgressBar b = barFor(task, max, done, false);
            b.stepTo(done);
            b.setExtraMessage(" run eta " + Durations.hms(runEta(runner, clock.getAsLong())));
            if (done >= max) {
                endBar();
            }
        } else if (plainEvery > 0 && (Intervals.everyNIters(runner, plainEvery) || Intervals.lastIter(runner))) {
            out.println("progress: " + trainStatus(runner, clock.getAsLong()));
        }
    }

    @Override
    public void afterValIter(Runner runner) {
        if (screen != null && runner.isMainProcess()) {
            long done = runner.innerIter() + 1;
            barFor("Val", runner.phaseLength(), done, true).stepTo(done);
            if (done >= runner.phaseLength()) {
                endBar();
            }
        }
    }

    /** The bar of the phase in progress, begun at {@code done - 1} when it is new (a resumed epoch starts midway). */
    private ProgressBar barFor(String task, long max, long done, boolean val) {
        if (bar == null || barIsVal != val || !bar.getTaskName().equals(task) || bar.getMax() != max) {
            endBar();
            Screen s = screen;
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.UNICODE_BLOCK)
                    .setUpdateIntervalMillis(100).showSpeed().clearDisplayOnFinish().startsFrom(done - 1, java.time.Duration.ZERO)
                    .setConsumer(new OnScreen(s)).build();
            barIsVal = val;
        }
        return bar;
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
        if (screen != null && System.out == screen) {
            System.setOut(out);
        }
        screen = null;
        if (runner.isMainProcess()) {
            long done = runner.iter() - startIter;
            out.println("progress: done, " + done + " iterations in " + Durations.hms((clock.getAsLong() - startNanos) / 1_000_000_000L));
        }
    }

    private void endBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (screen != null) {
            screen.clearBar(); // the log lines stay; the finished bar goes
        }
    }

    /** {@code epoch 1/4, iter 50/500 (10%), 12.5 it/s, eta 0:00:36}. */
    private String trainStatus(Runner runner, long now) {
        long done = runner.iter() + 1;
        double elapsed = (now - startNanos) / 1e9;
        long run = done - startIter;
        double rate = elapsed > 0 ? run / elapsed : 0;
        String epoch = runner.byEpoch() ? "epoch " + (runner.epoch() + 1) + "/" + runner.maxEpochs() + ", " : "";
        return String.format(Locale.ROOT, "%siter %d/%d (%d%%), %.1f it/s, eta %s", epoch, done, runner.maxIters(),
                done * 100 / Math.max(1, runner.maxIters()), rate, Durations.hms(runEta(runner, now)));
    }

    /** Seconds left in the run: the time per train iteration so far, times the iterations left. */
    private long runEta(Runner runner, long now) {
        long done = runner.iter() + 1;
        long run = done - startIter;
        double elapsed = (now - startNanos) / 1e9;
        return run > 0 ? Math.round(elapsed / run * (runner.maxIters() - done)) : 0;
    }

    /** The progressbar library's output, drawn on the screen's last line. */
    private static final class OnScreen implements ProgressBarConsumer {
        private final Screen screen;

        OnScreen(Screen screen) {
            this.screen = screen;
        }

        @Override
        public int getMaxRenderedLength() {
            return screen.barWidth();
        }

        @Override
        public void accept(String rendered) {
            screen.drawBar(rendered);
        }

        @Override
        public void clear() {
            screen.clearBar();
        }

        @Override
        public void close() {}
    }
}
