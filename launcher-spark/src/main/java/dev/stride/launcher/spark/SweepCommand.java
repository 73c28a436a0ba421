package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stride sweep CONFIG --grid key=[v1, v2] ... --on spark}: one independent training per
 * combination of the grid values, each a Spark task with its own work dir under the config's
 * work dir, then a table and a chart of their results.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train once per combination of --grid values, each trial a Spark task; write sweep.csv and sweep.png.")
final class SweepCommand implements Callable<Integer> {
    @Mixin
    JobOptions job = new JobOptions();

    @Option(names = "--grid", paramLabel = "KEY=[V1,V2,...]", required = true,
            description = "A config path and the values to try (HOCON), e.g. --grid optimizer.lr=[0.1,0.05] (repeatable).")
    List<String> grid = new ArrayList<>();

    @Option(names = "--on", paramLabel = "ENGINE", defaultValue = "spark",
            description = "Where the trials run: spark (the master from dist.master, spark-submit, or local[cores,attempts]).")
    String on;

    @Override
    public Integer call() {
        if (!on.equals("spark")) {
            throw new BadInputException("--on " + on + ": sweeps run on spark (--on spark); its master comes from --set"
                    + " dist.master=... or spark-submit");
        }
        Grid points = Grid.parse(grid);
        Config config = job.load(List.of());
        return Sweep.run(job.config, config, points, job.pluginDirs(config), DistOptions.of(config));
    }
}
