package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stride train CONFIG} on the class path: with {@code dist.type = spark} it trains
 * data-parallel on Spark; any other config is handed to the ordinary {@code stride train}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train a model as CONFIG describes; data-parallel on Apache Spark when it says dist.type = spark.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    JobOptions job = new JobOptions();

    @Option(names = "--resume", paramLabel = "auto|PATH",
            description = "Continue from a checkpoint: auto takes the newest complete one of the work dir.")
    String resume;

    @Option(names = "--load-from", paramLabel = "FILE",
            description = "Start from the model weights of a checkpoint (epoch 0, fresh optimizer); --resume wins.")
    Path loadFrom;

    @Option(names = "--dry-run", description = "Check the config and the data sets' sharding; start nothing.")
    boolean dryRun;

    /** Read by the ordinary {@code stride train}, to which a config not on Spark is handed with all its arguments. */
    @Option(names = "--resume-with-changes",
            description = "With --resume (not on Spark): continue even when the seed, workflow, runner type or data"
                    + " settings differ from the checkpoint's.")
    boolean resumeWithChanges;

    /** The arguments as given, to hand over to {@code stride train} when the config does not use Spark. */
    private final String[] args;

    TrainCommand(String[] args) {
        this.args = args.clone();
    }

    @Override
    public Integer call() {
        List<String> more = new ArrayList<>();
        if (resume != null) {
            more.add("resume=" + JobOptions.quote(resume));
        }
        if (loadFrom != null) {
            more.add("load-from.file=" + JobOptions.quote(loadFrom.toString()));
        }
        Config config = job.load(more);
        DistOptions dist = DistOptions.of(config);
        if (!dist.onSpark()) {
            return CommandLineApp.run(args);
        }
        return DataParallelTraining.run(job.config, config, job.pluginDirs(config), dist, dryRun);
    }
}
