package dev.stride.launcher.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The function of the barrier stage: partition {@code r} of the stage is rank {@code r}. It
 * trains and yields one {@link RankReport}.
 */
final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<RankReport>>
        implements Serializable { // java-serialization: Spark ships the stage's function to the executors
    private static final long serialVersionUID = 1L;
    private final TrainingSpec spec;

    RankTask(TrainingSpec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<RankReport> apply(Iterator<Integer> partition) {
        Main.oneThreadPerTask(); // an executor of another cluster manager, whose JVM options are the user's
        BarrierTaskContext ctx = BarrierTaskContext.get();
        RankReport report = new Rank(spec, ctx.partitionId(), ctx.stageAttemptNumber(), new SparkGroup(ctx)).train();
        return CollectionConverters.asScala(List.of(report).iterator());
    }

    /** The ranks of one attempt of the barrier stage. */
    private record SparkGroup(BarrierTaskContext ctx) implements Rank.RankGroup {
        @Override
        public String[] allGather(String message) {
            return ctx.allGather(message);
        }

        @Override
        public void barrier() {
            ctx.barrier();
        }

        @Override
        public String hostOfRank0() {
            return hostOf(ctx.getTaskInfos()[0].address());
        }

        @Override
        public String host() {
            return hostOf(ctx.getTaskInfos()[ctx.partitionId()].address());
        }

        @Override
        public void checkCancelled() {
            ctx.killTaskIfInterrupted();
        }

        private static String hostOf(String address) {
            int colon = address.lastIndexOf(':');
            return colon < 0 ? address : address.substring(0, colon);
        }
    }
}
