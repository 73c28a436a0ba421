package dev.stride.runner.testkit;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongToDoubleFunction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic model for tests: a linear "model" {@code pred = w0 * x0 + w1 * x1 + b} with a
 * squared-error loss, whose losses and val results a test may script instead.
 *
 * <p><b>The linear model</b> (the default). Its parameters are {@code w} (two floats) and {@code b}
 * (one float). The features {@code x0, x1} and the target are derived from a {@link FakeBatch}'s
 * sample ids (any other {@link Batch} counts as the ids {@code 0..size-1}). {@link #trainStep} adds
 * the loss's gradient to {@link #grads()}, where it stays until the optimizer zeroes it, and mixes
 * the step seed into the prediction as "dropout noise", so the same batch with another step seed
 * gives another loss. Everything is float arithmetic: the same inputs give the same bits, and
 * {@link #paramsText()} shows them.
 *
 * <p><b>Scripted</b>. {@link #losses} makes the n-th train step (0-based) report the loss
 * {@code lossAt(n)} and add that value to the gradient of every parameter (so a NaN loss makes NaN
 * gradients, and a batch whose gradients were dropped leaves no trace); {@link #valResults} makes
 * the n-th val step report {@code valAt(n)}. The step counters {@code n} are saved with the model's
 * state, so a resumed run continues the script where the interrupted one left it.
 * {@link #stepMillis} makes train steps slow, for timers; {@link #liveTensors(long)} sets what
 * {@link #liveTensors()} reports.
 *
 * <p>It records every batch it sees ({@link #seen()}): {@code train e0 b1 [3, 5] seed=...} for a
 * train step, {@code val e2 b0 [1004, 1003]} for a val step. A train step on a closed
 * {@link FakeBatch} fails.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class FakeModel implements Model {
    private final Map<String, float[]> params = new LinkedHashMap<>();
    private final Map<String, float[]> grads = new LinkedHashMap<>();
    private final List<String> seen = new ArrayList<>();
    private @Nullable LongToDoubleFunction lossAt;
    private @Nullable LongFunction<Map<String, Double>> valAt;
    private long trainSteps;
    private long valSteps;
    private volatile long stepMillis;
    private long liveTensors = 4;

    /** A model with {@code w = [w0, w0 / 2]} and {@code b = [b]}. */
    public FakeModel(float w0, float b) {
        params.put("w", new float[] {w0, w0 / 2});
        params.put("b", new float[] {b});
        params.forEach((n, p) -> grads.put(n, new float[p.length]));
    }

    /** {@code w = [0.5, 0.25]}, {@code b = [-0.25]}. */
    public FakeModel() {
        this(0.5f, -0.25f);
    }

    /**
     * Scripts the train losses: the n-th train step (0-based, counted across resumes) reports
     * {@code lossAt(n)} and adds it to every parameter's gradient. Returns this model.
     */
    public FakeModel losses(LongToDoubleFunction lossAt) {
        this.lossAt = lossAt;
        return this;
    }

    /**
     * Scripts the val results: the n-th val step (0-based, counted across resumes) reports the
     * scalars {@code valAt(n)}, e.g. {@code Map.of("loss", 0.5, "accuracy", 0.8)}. Returns this model.
     */
    public FakeModel valResults(LongFunction<Map<String, Double>> valAt) {
        this.valAt = valAt;
        return this;
    }

    /** Makes each train step sleep {@code millis}; returns this model. */
    public FakeModel stepMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("step time " + millis + " ms");
        }
        this.stepMillis = millis;
        return this;
    }

    /** Sets what {@link #liveTensors()} reports (-1: the engine cannot tell); returns this model. */
    public FakeModel liveTensors(long n) {
        this.liveTensors = n;
        return this;
    }

    private static int[] ids(Batch batch) {
        if (batch instanceof FakeBatch fb) {
            return fb.ids();
        }
        int[] ids = new int[batch.size()];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    private static String describe(Batch batch) {
        return batch instanceof FakeBatch fb ? fb.describe() : String.valueOf(batch);
    }

    private static float[] features(int[] ids) {
        float sum = 0;
        float mod = 0;
        for (int id : ids) {
            sum += id % 1000;
            mod += (id * 7) % 5;
        }
        int n = Math.max(1, ids.length);
        return new float[] {sum / n / 10f + 0.1f, mod / n / 5f};
    }

    private static float target(float[] x) {
        return 2f * x[0] - 1.5f * x[1] + 0.75f;
    }

    /** "Dropout noise" from the step seed: in [0, 0.01). */
    private static float noise(long stepSeed) {
        return ((stepSeed >>> 40) & 0xFFFF) / 65536f * 0.01f;
    }

    private float predict(float[] x) {
        float[] w = params.get("w");
        return w[0] * x[0] + w[1] * x[1] + params.get("b")[0];
    }

    /**
     * @throws IllegalStateException when the batch is a {@link FakeBatch} that was already closed
     */
    @Override
    public StepOutput trainStep(Batch batch, long stepSeed) {
        if (batch instanceof FakeBatch fb && fb.isClosed()) {
            throw new IllegalStateException("the batch was closed before the step: " + fb);
        }
        FakeLoader.sleep(stepMillis);
        long n = trainSteps++;
        seen.add(describe(batch) + " seed=" + stepSeed);
        if (lossAt != null) {
            double loss = lossAt.applyAsDouble(n);
            float g = (float) loss;
            grads.values().forEach(gs -> {
                for (int i = 0; i < gs.length; i++) {
                    gs[i] += g;
                }
            });
            return new StepOutput(Map.of("loss", loss), batch.size());
        }
        float[] x = features(ids(batch));
        float err = predict(x) + noise(stepSeed) - target(x);
        float loss = err * err;
        float[] gw = grads.get("w");
        gw[0] += 2 * err * x[0];
        gw[1] += 2 * err * x[1];
        grads.get("b")[0] += 2 * err;
        return new StepOutput(Map.of("loss", (double) loss), batch.size());
    }

    @Override
    public StepOutput valStep(Batch batch) {
        long n = valSteps++;
        seen.add(describe(batch));
        if (valAt != null) {
            return new StepOutput(valAt.apply(n), batch.size());
        }
        float[] x = features(ids(batch));
        float err = predict(x) - target(x);
        float loss = err * err;
        return new StepOutput(Map.of("loss", (double) loss, "accuracy", 1.0 / (1.0 + loss)), batch.size());
    }

    /** Writes {@code w} and {@code b}, and the step counters {@code train-steps} and {@code val-steps}. */
    @Override
    public void saveState(Checkpoint.Section state) {
        params.forEach((n, p) -> state.putTensor(n, Tensor.ofFloats(new long[] {p.length}, p)));
        state.put("train-steps", trainSteps);
        state.put("val-steps", valSteps);
    }

    /**
     * @throws BadInputException when a parameter is missing or has another length
     */
    @Override
    public void loadState(Checkpoint.Section state) {
        for (Map.Entry<String, float[]> e : params.entrySet()) {
            Tensor t = state.tensor(e.getKey());
            if (t == null) {
                throw new BadInputException("the checkpoint has no parameter " + e.getKey());
            }
            float[] v = t.toFloats();
            if (v.length != e.getValue().length) {
                throw new BadInputException("parameter " + e.getKey() + " has " + v.length + " values, expected "
                        + e.getValue().length);
            }
            System.arraycopy(v, 0, e.getValue(), 0, v.length);
        }
        trainSteps = state.getLong("train-steps", 0);
        valSteps = state.getLong("val-steps", 0);
    }

    /** {@code 4} (its parameters and their gradients) unless set with {@link #liveTensors(long)}. */
    @Override
    public long liveTensors() {
        return liveTensors;
    }

    /** The parameters {@code w} and {@code b}, by name (live arrays: the optimizer updates them in place). */
    public Map<String, float[]> params() {
        return params;
    }

    /** The accumulated gradients, by parameter name (live arrays). */
    public Map<String, float[]> grads() {
        return grads;
    }

    /** The parameters as exact text: {@code w=[0.5, 0.25]#3f000000,3e800000, b=[-0.25]#be800000,}, every float's bits. */
    public String paramsText() {
        return text(params);
    }

    /** The gradients as exact text, like {@link #paramsText()}. */
    public String gradsText() {
        return text(grads);
    }

    static String text(Map<String, float[]> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((n, v) -> {
            sb.append(n).append('=').append(Arrays.toString(v)).append('#');
            for (float f : v) {
                sb.append(Integer.toHexString(Float.floatToRawIntBits(f))).append(',');
            }
            sb.append(' ');
        });
        return sb.toString().trim();
    }

    /** Every batch this model object saw, in order (not saved with its state). */
    public List<String> seen() {
        return Collections.unmodifiableList(seen);
    }

    /** Train steps taken, counted across resumes: the steps of this object plus those its state was loaded with. */
    public long trainSteps() {
        return trainSteps;
    }

    /** Val steps taken, counted across resumes. */
    public long valSteps() {
        return valSteps;
    }
}
