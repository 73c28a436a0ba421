package dev.stride.launcher.spark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rank's membership in XGBoost4J's collective: it sums float arrays over all ranks (TCP,
 * exact results, the same on every rank).
 *
 * <p>XGBoost's communicator belongs to the thread that joined, and its calls cannot be
 * interrupted; so every call runs on this rank's own communicator thread while the caller waits
 * at most the timeout, and gives up at once when {@code checkCancelled} throws (Spark killed the
 * task because another rank failed). A thread stuck in a native call is abandoned; it is a daemon.
 *
 * <p>XGBoost's {@code Communicator.allReduce} ignores the native error code, so a failed
 * allreduce would leave local numbers in place silently: this class calls the native method
 * itself to read the code, and adds one element whose sum must be the world size.
 */
final class Collective implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collective.class);
    private static final int FLOAT32 = Communicator.DataType.FLOAT32.getEnumOp();
    private static final int FLOAT64 = Communicator.DataType.FLOAT64.getEnumOp();
    private static final int SUM = Communicator.OpType.SUM.getOperand();

    private final ExecutorService thread;
    private final int worldSize;
    private final Duration timeout;
    private final Runnable checkCancelled;
    private final Timings stats = new Timings();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);
    private boolean broken;

    private Collective(int rank, int worldSize, Duration timeout, Runnable checkCancelled) {
        this.worldSize = worldSize;
        this.timeout = timeout;
        this.checkCancelled = checkCancelled;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stride-collective-rank-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the collective the tracker coordinates; returns once every rank has joined.
     *
     * @param trackerArgs what the tracker's {@code getWorkerArgs()} gave
     * @throws CollectiveException when the others do not join within the timeout
     */
    static Collective join(Map<String, Object> trackerArgs, int rank, int worldSize, Duration timeout,
            Runnable checkCancelled) {
        Collective c = new Collective(rank, worldSize, timeout, checkCancelled);
        Map<String, Object> args = new HashMap<>(trackerArgs);
        // ranks are sorted by host, then by this id: zero-padded so that "10" follows "9"
        args.put("dmlc_task_id", String.format("%06d", rank));
        // XGBoost's own socket timeout, a little longer than ours: it frees a thread we gave up on
        args.put("dmlc_timeout", (timeout.toMillis() + 999) / 1000 + 1);
        c.call("joining the other ranks", () -> {
            Communicator.init(args);
            return null;
        });
        return c;
    }

    /**
     * The element-wise sum of {@code values} over all ranks, in place.
     *
     * @throws CollectiveException when a rank does not answer within the timeout, or the sum failed
     */
    void sum(float[] values) {
        sum(List.of(FloatBuffer.wrap(values)));
    }

    /**
     * The element-wise sum over all ranks of {@code parts} laid end to end, written back into them:
     * one allreduce however many parts (a model's gradients, each a view of its own memory).
     *
     * @throws CollectiveException when a rank does not answer within the timeout, or the sum failed
     */
    void sum(List<FloatBuffer> parts) {
        long start = System.nanoTime();
        long total = 0;
        for (FloatBuffer p : parts) {
            total += p.remaining();
        }
        if (total > Integer.MAX_VALUE / 4 - 1) {
            throw new IllegalStateException("more than 2^29 numbers do not fit one allreduce");
        }
        int n = (int) total + 1;
        if (buffer.capacity() < n * 4) {
            buffer = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        }
        FloatBuffer floats = buffer.clear().asFloatBuffer();
        for (FloatBuffer p : parts) {
            floats.put(p.duplicate());
        }
        floats.put(1f);
        allreduce(buffer, n, FLOAT32, "summing " + total + " numbers over the ranks");
        floats.rewind();
        for (FloatBuffer p : parts) {
            FloatBuffer into = p.duplicate();
            FloatBuffer from = floats.slice();
            from.limit(into.remaining());
            into.put(from);
            floats.position(floats.position() + from.limit());
        }
        checkRanks(floats.get());
        stats.add((int) total, System.nanoTime() - start);
    }

    /**
     * The element-wise sum of {@code values} over all ranks, in place, in double precision: metrics'
     * sums (of the val data split among the ranks), not gradients; not counted in {@link #stats}.
     *
     * @throws CollectiveException when a rank does not answer within the timeout, or the sum failed
     */
    void sum(double[] values) {
        int n = values.length + 1;
        ByteBuffer bytes = ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder());
        DoubleBuffer doubles = bytes.asDoubleBuffer();
        doubles.put(values).put(1.0);
        allreduce(bytes, n, FLOAT64, "summing " + values.length + " metrics over the ranks");
        doubles.rewind();
        doubles.get(values);
        checkRanks(doubles.get());
    }

    /** One allreduce (sum) of the {@code n} numbers of type {@code dtype} in {@code data}, on the communicator's thread. */
    private void allreduce(ByteBuffer data, int n, int dtype, String what) {
        call(what, () -> {
            int code = NativeAllreduce.sum(data, n, dtype, SUM);
            if (code != 0) {
                throw new CollectiveException("the allreduce failed in XGBoost: " + NativeAllreduce.lastError()
                        + ". Another rank probably died; Spark retries the stage.");
            }
            return null;
        });
    }

    /** The sum of the ones every rank added must be the world size. */
    private void checkRanks(double count) {
        if (count != worldSize) {
            throw new CollectiveException("the allreduce summed " + count + " ranks instead of " + worldSize
                    + ": another rank probably died; Spark retries the stage.");
        }
    }

    /** Timings of the sums so far. */
    Timings stats() {
        return stats;
    }

    /** Leaves the collective (when it is still healthy) and ends the communicator thread. */
    @Override
    public void close() {
        if (!broken) {
            try {
                call("leaving the collective", () -> {
                    Communicator.shutdown();
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warn("Could not leave the collective cleanly: {}", e.getMessage());
            }
        }
        thread.shutdownNow();
    }

    private void call(String what, Callable<Void> action) {
        if (broken) {
            throw new CollectiveException("the collective is unusable after an earlier failure");
        }
        Future<Void> f = thread.submit(action);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean done = false;
        try {
            while (true) {
                try {
                    f.get(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
                    done = true;
                    return;
                } catch (TimeoutException e) {
                    checkCancelled.run();
                    if (System.nanoTime() >= deadline) {
                        throw new CollectiveException("no answer from the other ranks within dist.timeout = " + timeout.toSeconds()
                                + "s while " + what + ": a rank died or hangs. This rank gives up so that Spark retries"
                                + " the stage; raise dist.timeout if the ranks are just slow.");
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CollectiveException ce) {
                throw ce;
            }
            if (cause instanceof XGBoostError x) {
                throw new CollectiveException("XGBoost's collective failed while " + what + ": " + x.getMessage(), x);
            }
            throw new CollectiveException("failed while " + what + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectiveException("interrupted while " + what, e);
        } finally {
            if (!done) {
                // a failed or abandoned native call leaves the communicator unusable; a stuck thread stays behind
                broken = true;
                f.cancel(true);
            }
        }
    }

    /** The native allreduce of XGBoost4J, called directly to read its return code. */
    private static final class NativeAllreduce {
        private static final Method ALLREDUCE;
        private static final Method LAST_ERROR;

        static {
            try {
                Class<?> jni = Class.forName("ml.dmlc.xgboost4j.java.XGBoostJNI");
                ALLREDUCE = jni.getDeclaredMethod("CommunicatorAllreduce", ByteBuffer.class, int.class, int.class, int.class);
                ALLREDUCE.setAccessible(true);
                LAST_ERROR = jni.getDeclaredMethod("XGBGetLastError");
                LAST_ERROR.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExceptionInInitializerError("this XGBoost4J has no CommunicatorAllreduce(ByteBuffer, int, int, int)"
                        + " (launcher-spark was built against XGBoost4J 3.0.4): " + e);
            }
        }

        static int sum(ByteBuffer buffer, int count, int dtype, int op) {
            try {
                return (Integer) ALLREDUCE.invoke(null, buffer, count, dtype, op);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new CollectiveException("the allreduce failed in XGBoost: " + e.getCause(), e.getCause());
            }
        }

        /** XGBoost's message without its native stack trace, on one line. */
        static String lastError() {
            String text;
            try {
                text = String.valueOf(LAST_ERROR.invoke(null));
            } catch (ReflectiveOperationException e) {
                return "(no message)";
            }
            int trace = text.indexOf("Stack trace:");
            return (trace < 0 ? text : text.substring(0, trace)).replaceAll("\\s+", " ").trim();
        }
    }
}
