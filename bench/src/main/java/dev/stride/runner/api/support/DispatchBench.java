package dev.stride.runner.api.support;

// In runner-api's package, on the class path, to reach the package-private HookChain it measures.

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** JMH: the cost of calling one stage on 1, 10 and 50 no-op hooks (divide by the count for ns per hook). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBench {
    @Param({"1", "10", "50"})
    int hooks;

    HookChain chain;
    Runner runner;

    /** A hook doing almost nothing at after-train-iter (a counter, so the call is not removed). */
    static final class Counting implements Hook {
        long calls;

        @Override
        public void afterTrainIter(Runner r) {
            calls++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        chain = new HookChain();
        for (int i = 0; i < hooks; i++) {
            chain.register(new Counting(), i % 101);
        }
        runner = null;
    }

    @Benchmark
    public void afterTrainIter(Blackhole bh) {
        chain.call(Stage.AFTER_TRAIN_ITER, runner);
        bh.consume(chain);
    }
}
