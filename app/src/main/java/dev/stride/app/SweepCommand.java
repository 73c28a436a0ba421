package dev.stride.app;

import dev.stride.runner.api.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code stride sweep}: listed here so that {@code stride --help} shows it. Sweeps run on Apache
 * Spark, which runs on the class path: {@code ./stride sweep ...} in a source checkout switches to
 * launcher-spark's launcher before this command line starts, so reaching this command means Spark
 * is not there (a binary distribution, or an embedding program).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train once per combination of --grid values on Apache Spark; writes sweep.csv and sweep.png"
                + " (./stride runs it with launcher-spark; see launcher-spark/README.md).")
final class SweepCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARGS", hidden = true)
    List<String> args = new ArrayList<>();

    @Unmatched
    List<String> rest = new ArrayList<>();

    @Override
    public Integer call() {
        throw new BadInputException("stride sweep runs on Apache Spark, which this launcher does not have: run it from a source"
                + " checkout with ./stride sweep CONFIG --grid key=[v1, v2] ... --on spark, or with spark-submit (see"
                + " launcher-spark/README.md)");
    }
}
