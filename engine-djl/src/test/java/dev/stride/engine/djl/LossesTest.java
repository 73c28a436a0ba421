package dev.stride.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.loss.Loss;
import dev.stride.engine.djl.model.Djl;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The default classification loss is torch.nn.CrossEntropyLoss: torch's fused kernel for
 * [n, classes] logits and int64 labels, DJL's composition otherwise; both against the formula in
 * double precision, values and gradients.
 */
class LossesTest {
    private static final int N = 8;
    private static final int C = 5;

    private final Random random = new Random(7);
    private final float[] logits = new float[N * C];
    private final long[] labels = new long[N];

    LossesTest() {
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        for (int i = 0; i < N; i++) {
            labels[i] = random.nextInt(C);
        }
    }

    /** -mean(log softmax(x)[label]) and its gradient (softmax - one hot) / n, in double precision. */
    private double[] reference() {
        double[] out = new double[1 + N * C];
        for (int i = 0; i < N; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < C; c++) {
                max = Math.max(max, logits[i * C + c]);
            }
            double sum = 0;
            for (int c = 0; c < C; c++) {
                sum += Math.exp(logits[i * C + c] - max);
            }
            out[0] -= (logits[i * C + (int) labels[i]] - max - Math.log(sum)) / N;
            for (int c = 0; c < C; c++) {
                out[1 + i * C + c] = (Math.exp(logits[i * C + c] - max) / sum - (c == labels[i] ? 1 : 0)) / N;
            }
        }
        return out;
    }

    /** The autograd node that made the last recorded loss. */
    private String lastGradFn;

    /** The loss of the logits and labels, and the logits' gradient when {@code record}; {loss, gradient...}. */
    private float[] evaluate(Loss loss, boolean record, DataType labelType) {
        try (NDManager m = Djl.manager().newSubManager()) {
            NDArray x = m.create(logits, new Shape(N, C));
            x.setRequiresGradient(true);
            NDArray y = m.create(labels).toType(labelType, false);
            Supplier<NDArray> value = () -> loss.evaluate(new NDList(y), new NDList(x));
            boolean was = JniUtils.isGradMode();
            JniUtils.setGradMode(record);
            try {
                NDArray l = value.get();
                float[] out = new float[1 + N * C];
                out[0] = l.getFloat();
                if (record) {
                    lastGradFn = JniUtils.getGradientFunctionNames((PtNDArray) l);
                    JniUtils.backward((PtNDArray) l, (PtNDArray) l.onesLike(), false, false);
                    System.arraycopy(x.getGradient().toFloatArray(), 0, out, 1, N * C);
                }
                return out;
            } finally {
                JniUtils.setGradMode(was);
            }
        }
    }

    private static void assertClose(double[] want, float[] got, int count, String what) {
        for (int i = 0; i < count; i++) {
            assertEquals(want[i], got[i], 1e-6 * Math.max(1, Math.abs(want[i])), what + " element " + i);
        }
    }

    @Test
    void inATrainStepItIsTorchsCrossEntropyValueAndGradient() {
        float[] fused = evaluate(Losses.softmaxCrossEntropy(), true, DataType.INT64);
        assertTrue(lastGradFn.contains("NllLossBackward"), "torch's kernel made the loss: " + lastGradFn);
        assertClose(reference(), fused, 1 + N * C, "fused");
        float[] djl = evaluate(Loss.softmaxCrossEntropyLoss("djl"), true, DataType.INT64);
        assertTrue(!lastGradFn.contains("NllLoss"), "DJL's ops made this one: " + lastGradFn);
        assertClose(reference(), djl, 1 + N * C, "DJL's");
    }

    @Test
    void withoutGradientsTheSameValueAndOtherLabelTypesGoThroughDjl() {
        float[] val = evaluate(Losses.softmaxCrossEntropy(), false, DataType.INT64);
        assertClose(reference(), val, 1, "no gradients (a val step)");
        float[] int32 = evaluate(Losses.softmaxCrossEntropy(), true, DataType.INT32);
        assertTrue(!lastGradFn.contains("NllLoss"), lastGradFn);
        assertClose(reference(), int32, 1 + N * C, "int32 labels");
        assertNotEquals(0f, int32[1], "gradients flow through DJL's composition too");
    }

    @Test
    void aLabelOutsideTheClassesFailsWithTorchsMessage() {
        labels[3] = C + 2;
        EngineException e = assertThrows(EngineException.class, () -> evaluate(Losses.softmaxCrossEntropy(), true, DataType.INT64));
        // DjlModel turns this into a message about the data (labelOutOfRange looks for these words)
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    }
}
