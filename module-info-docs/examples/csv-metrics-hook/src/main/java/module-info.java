/**
 * A Stride hook plugin: {@code csv-metrics} appends one CSV row per val epoch and per evaluation
 * to a file in the work dir. It exports nothing; Stride finds the hook through its provider.
 */
module com.example.stride.csvmetrics {
    requires dev.stride.runner.api;

    provides dev.stride.runner.api.spi.HookProvider with com.example.stride.csvmetrics.CsvMetricsProvider;
}
