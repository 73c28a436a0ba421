import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.RabitTracker;

/**
 * XGBoost4J's allreduce alone, 2 ranks on threads of one JVM over loopback, nothing else running:
 * the floor under the allreduce a Spark data-parallel step measures (which adds the wait for the
 * slower rank). Sizes: 1 float (the latency), LeNet's 61,706 gradients, the MLP's 235,146. Each
 * size timed on the thread that joined ("direct") and, as launcher-spark's Collective calls it, on a
 * communicator thread the caller hands the call to and waits for ("hand-off"). Prints
 * "allreduce.<floats>.<direct|handoff>_ms: <median> (p10 <>, p90 <>)" per rank 0.
 *   java -cp 'launcher-spark/target/dist/lib/*' bench/peers/AllreduceTime.java [CALLS]
 */
public final class AllreduceTime {
    static final int[] SIZES = {1, 61_706, 235_146};

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        RabitTracker tracker = new RabitTracker(2, "127.0.0.1", 0, 60);
        tracker.start();
        Map<String, Object> workerArgs = tracker.getWorkerArgs();
        CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> rank(workerArgs, 1, calls));
        String mine = rank(workerArgs, 0, calls);
        other.get(5, TimeUnit.MINUTES);
        System.out.print(mine);
        tracker.stop();
    }

    static String rank(Map<String, Object> trackerArgs, int rank, int calls) {
        // XGBoost's communicator belongs to the thread that joined: everything runs on this one
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                Map<String, Object> a = new HashMap<>(trackerArgs);
                a.put("dmlc_task_id", String.format("%06d", rank));
                Communicator.init(a);
                return "";
            }).get() + sizes(calls, thread);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                thread.submit(() -> {
                    Communicator.shutdown();
                    return null;
                }).get();
            } catch (Exception e) {
                // leaving is best effort here
            }
            thread.shutdown();
        }
    }

    /** Each size direct and then handed off, next to each other (the machine drifts). */
    static String sizes(int calls, ExecutorService communicator) throws Exception {
        StringBuilder out = new StringBuilder();
        for (int n : SIZES) {
            out.append(communicator.submit(() -> time(n, calls, communicator, true)).get());
            out.append(time(n, calls, communicator, false));
        }
        return out.toString();
    }

    /** Times {@code n} floats; direct: this is the communicator's thread; else every call is handed to it. */
    static String time(int n, int calls, ExecutorService communicator, boolean direct) throws Exception {
        Method allreduce = Class.forName("ml.dmlc.xgboost4j.java.XGBoostJNI")
                .getDeclaredMethod("CommunicatorAllreduce", ByteBuffer.class, int.class, int.class, int.class);
        allreduce.setAccessible(true);
        int f32 = Communicator.DataType.FLOAT32.getEnumOp();
        int sum = Communicator.OpType.SUM.getOperand();
        StringBuilder out = new StringBuilder();
        {
            ByteBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
            long[] t = new long[calls];
            for (int i = -calls / 6; i < calls; i++) {
                long s = System.nanoTime();
                if (direct) {
                    allreduce.invoke(null, b, n, f32, sum);
                } else {
                    communicator.submit(() -> allreduce.invoke(null, b, n, f32, sum)).get(60, TimeUnit.SECONDS);
                }
                if (i >= 0) {
                    t[i] = System.nanoTime() - s;
                }
            }
            Arrays.sort(t);
            out.append(String.format("allreduce.%d.%s_ms: %.3f (p10 %.3f, p90 %.3f)%n", n, direct ? "direct" : "handoff",
                    t[calls / 2] / 1e6, t[calls / 10] / 1e6, t[calls * 9 / 10] / 1e6));
        }
        return out.toString();
    }
}
