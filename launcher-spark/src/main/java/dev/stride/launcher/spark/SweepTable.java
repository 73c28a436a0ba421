package dev.stride.launcher.spark;

import dev.stride.runner.api.internal.AtomicFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code sweep.csv}: one row per trial, with its grid values and final metrics (the last logged
 * train loss, the last val loss and accuracy, the best val accuracy), how many attempts it took
 * and where its work dir is.
 */
final class SweepTable {
    /** The file name in the sweep's work dir. */
    static final String FILE = "sweep.csv";

    private SweepTable() {}

    static Path write(Path dir, Grid grid, List<TrialResult> results) {
        StringBuilder sb = new StringBuilder("trial");
        grid.axes().forEach(a -> sb.append(',').append(cell(a.key())));
        sb.append(",epoch,iter,train_loss,val_loss,val_accuracy,best_val_accuracy,attempts,resumed_from,seconds,work_dir\n");
        for (TrialResult r : results) {
            sb.append(r.trial().index());
            grid.axes().forEach(a -> sb.append(',').append(cell(r.trial().settings().get(a.key()))));
            TrainingCurves c = r.curves();
            sb.append(',').append(r.epoch()).append(',').append(r.iter())
                    .append(',').append(number(TrainingCurves.last(c.trainLoss())))
                    .append(',').append(number(TrainingCurves.last(c.valLoss())))
                    .append(',').append(number(TrainingCurves.last(c.valAccuracy())))
                    .append(',').append(number(TrainingCurves.best(c.valAccuracy())))
                    .append(',').append(r.attempt() + 1)
                    .append(',').append(cell(r.resumedFrom() == null ? "" : r.resumedFrom()))
                    .append(',').append(String.format(Locale.ROOT, "%.1f", r.seconds()))
                    .append(',').append(cell(r.workDir())).append('\n');
        }
        Path file = dir.resolve(FILE);
        AtomicFiles.write(file, ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break. */
    private static String cell(String s) {
        return s.matches(".*[,\"\\r\\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
