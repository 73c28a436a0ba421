package dev.stride.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in metrics; see {@link Metric}'s factories. */
final class Metrics {
    private Metrics() {}

    /** Outputs and targets as doubles {@code [n][k]}: regression statistics are summed in double precision. */
    private static double[][] rows(NDArray a, int n) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        int k = n == 0 ? 0 : v.length / n;
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = v[i * k + j];
            }
        }
        return out;
    }

    private static int samples(NDArray output) {
        return (int) output.getShape().get(0);
    }

    /** Top-k accuracy; with a single output (a binary classifier with one logit) the class is {@code logit > 0}. */
    record TopK(int k) implements Metric {
        static TopK of(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("top-k accuracy needs k >= 1, got " + k);
            }
            return new TopK(k);
        }

        @Override
        public String name() {
            return k == 1 ? "accuracy" : "accuracy_top" + k;
        }

        @Override
        public Map<String, Double> statistics(NDArray output, NDArray target) {
            int n = samples(output);
            return Map.of(name(), correct(output, target) / (double) n);
        }

        private long correct(NDArray logits, NDArray labels) {
            long width = logits.getShape().get(1);
            if (width == 1) {
                return logits.reshape(-1).gt(0).toType(labels.getDataType(), false).eq(labels).sum().getLong();
            }
            if (k == 1) {
                return logits.argMax(1).eq(labels).sum().getLong();
            }
            int kk = (int) Math.min(k, width);
            NDArray top = logits.argSort(1, false).get(":, :" + kk);
            return top.eq(labels.reshape(-1, 1)).sum().getLong();
        }

        @Override
        public double value(Map<String, Double> averages) {
            return averages.getOrDefault(name(), Double.NaN);
        }
    }

    /** The mean of {@code f(predicted - true)} over every value of a batch; NaN for an empty batch. */
    private static double meanOfErrors(NDArray output, NDArray target, java.util.function.DoubleUnaryOperator f) {
        int n = samples(output);
        double[][] p = rows(output, n);
        double[][] y = rows(target, n);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p[i].length; j++) {
                sum += f.applyAsDouble(p[i][j] - y[i][j]);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Mean absolute error: the statistic is the metric. */
    static final Metric MAE = new Metric() {
        @Override
        public String name() {
            return "mae";
        }

        @Override
        public Map<String, Double> statistics(NDArray output, NDArray target) {
            return Map.of("mae", meanOfErrors(output, target, Math::abs));
        }

        @Override
        public double value(Map<String, Double> averages) {
            return averages.getOrDefault("mae", Double.NaN);
        }

        @Override
        public String toString() {
            return "mae";
        }
    };

    /** The mean squared error over every value of a batch: the statistic of RMSE. */
    static final String MSE = "mse";

    static final Metric RMSE = new Metric() {
        @Override
        public String name() {
            return "rmse";
        }

        @Override
        public Map<String, Double> statistics(NDArray output, NDArray target) {
            return Map.of(MSE, meanOfErrors(output, target, d -> d * d));
        }

        @Override
        public double value(Map<String, Double> averages) {
            Double mse = averages.get(MSE);
            return mse == null ? Double.NaN : Math.sqrt(mse);
        }

        @Override
        public String toString() {
            return "rmse";
        }
    };

    /**
     * R² per target {@code j} from three means over the samples: of the squared error, of the
     * target and of its square: {@code 1 - mse_j / (E[y_j²] - E[y_j]²)}, then averaged over the
     * targets.
     */
    static final Metric R2 = new Metric() {
        @Override
        public String name() {
            return "r2";
        }

        @Override
        public Map<String, Double> statistics(NDArray output, NDArray target) {
            int n = samples(output);
            double[][] p = rows(output, n);
            double[][] y = rows(target, n);
            int k = n == 0 ? 0 : y[0].length;
            Map<String, Double> out = new LinkedHashMap<>();
            for (int j = 0; j < k; j++) {
                double se = 0;
                double sy = 0;
                double syy = 0;
                for (int i = 0; i < n; i++) {
                    double d = p[i][j] - y[i][j];
                    se += d * d;
                    sy += y[i][j];
                    syy += y[i][j] * y[i][j];
                }
                out.put(key("se", j), se / n);
                out.put(key("y", j), sy / n);
                out.put(key("yy", j), syy / n);
            }
            return out;
        }

        @Override
        public double value(Map<String, Double> averages) {
            double sum = 0;
            int k = 0;
            while (averages.containsKey(key("se", k))) {
                double se = averages.get(key("se", k));
                double mean = averages.get(key("y", k));
                double variance = averages.get(key("yy", k)) - mean * mean;
                sum += variance > 0 ? 1 - se / variance : (se == 0 ? 1 : 0);
                k++;
            }
            return k == 0 ? Double.NaN : sum / k;
        }

        private static String key(String what, int target) {
            return "r2." + what + "." + target;
        }

        @Override
        public String toString() {
            return "r2";
        }
    };

    /** The merged statistics of {@code metrics} on one batch; a statistic two metrics share is computed once. */
    static Map<String, Double> statistics(List<Metric> metrics, NDArray output, NDArray target) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric m : metrics) {
            m.statistics(output, target).forEach(out::putIfAbsent);
        }
        return out;
    }
}
