package dev.stride.app;

import dev.stride.runner.api.DataSpec;

/**
 * The rows of {@code stride predict}'s CSV (RFC 4180: a name with a comma, quote or line break is
 * quoted). A classifier's row: the sample's index, the most probable class (the first of equals),
 * its name and each class's probability; a regression's: the index and the predicted values.
 * Samples read from files (a folder of images) have their file after the index. Numbers are
 * written as Java writes a float, exactly, so nothing is lost.
 */
final class PredictionsCsv {
    private final DataSpec spec;
    private final boolean files;

    PredictionsCsv(DataSpec spec) {
        this(spec, false);
    }

    /** @param files whether each row names its sample's file */
    PredictionsCsv(DataSpec spec, boolean files) {
        this.spec = spec;
        this.files = files;
    }

    String header() {
        StringBuilder sb = new StringBuilder(files ? "index,file" : "index");
        if (spec.isRegression()) {
            if (spec.targets() == 1) {
                sb.append(",value");
            } else {
                for (int t = 0; t < spec.targets(); t++) {
                    sb.append(",value_").append(t);
                }
            }
        } else {
            sb.append(",class,name");
            for (int c = 0; c < spec.numClasses(); c++) {
                sb.append(',').append(quote("p_" + spec.className(c)));
            }
        }
        return sb.append('\n').toString();
    }

    String row(long index, float[] values) {
        return row(index, null, values);
    }

    /** @param file the sample's file, when rows name them */
    String row(long index, String file, float[] values) {
        if (values.length != spec.outputs()) {
            throw new IllegalStateException("the model gave " + values.length + " values for a sample, expected "
                    + spec.outputs());
        }
        if (files != (file != null)) {
            throw new IllegalStateException(files ? "sample " + index + " has no file name" : "rows without files");
        }
        StringBuilder sb = new StringBuilder().append(index);
        if (files) {
            sb.append(',').append(quote(file));
        }
        if (!spec.isRegression()) {
            int best = 0;
            for (int c = 1; c < values.length; c++) {
                if (values[c] > values[best]) {
                    best = c;
                }
            }
            sb.append(',').append(best).append(',').append(quote(spec.className(best)));
        }
        for (float v : values) {
            sb.append(',').append(v);
        }
        return sb.append('\n').toString();
    }

    static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
