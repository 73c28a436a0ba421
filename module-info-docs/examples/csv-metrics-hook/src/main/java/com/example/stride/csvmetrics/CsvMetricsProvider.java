package com.example.stride.csvmetrics;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/**
 * Provides the {@code csv-metrics} hook. Public, with a public no-argument constructor, and
 * declared both in module-info.java and in META-INF/services, so Stride finds it on the module
 * path and on the class path alike.
 */
public final class CsvMetricsProvider implements HookProvider {
    @Override
    public String name() {
        return "csv-metrics";
    }

    @Override
    public String description() {
        return "appends epoch, iter and the val metrics to a CSV file after each val epoch and evaluation";
    }

    /** After the eval hook (LOW), so an evaluation's results are there when this hook runs. */
    @Override
    public int defaultPriority() {
        return Priority.VERY_LOW.value();
    }

    /** Compiled in: tells Stride which runner-api this plugin was built against. */
    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Hook create(Config options) {
        String file = options.getString("file");
        if (file.isBlank()) {
            throw new BadInputException("file: give the name of the CSV file, e.g. file = \"metrics.csv\"");
        }
        return new CsvMetricsHook(file);
    }
}
