package dev.stride.launcher.spark;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the user on the driver's console when a task fails and when Spark retries a stage. */
final class RetryNotices extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger("stride");
    private final String unit;
    private final Set<String> failedStages = ConcurrentHashMap.newKeySet();

    /** @param unit what a task is, for the message: {@code rank} or {@code trial} */
    RetryNotices(String unit) {
        this.unit = unit;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof TaskFailedReason failed && !end.taskInfo().killed()) {
            LOG.warn("{} {} failed (task attempt {}, stage attempt {}): {}", unit, end.taskInfo().partitionId(),
                    end.taskInfo().attemptNumber(), end.stageAttemptId(), firstLine(failed.toErrorString()));
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
        if (completed.stageInfo().failureReason().isDefined()
                && failedStages.add(completed.stageInfo().stageId() + "." + completed.stageInfo().attemptNumber())) {
            LOG.warn("Stage attempt {} failed; Spark retries it if attempts remain, and every {} resumes from its newest"
                    + " checkpoint", completed.stageInfo().attemptNumber(), unit);
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
