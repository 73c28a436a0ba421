package dev.stride.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.stride.engine.djl.optim.ScriptedStep;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The losses of PyTorch's {@code torch.nn}, with its formulas and its default mean reduction, as
 * DJL {@link Loss}es for {@link DjlModel.Builder#loss(Loss)}. DJL's own factories differ in places
 * ({@code Loss.l2Loss()} is half the mean squared error); these do not. Any other DJL {@code Loss}
 * works too: it gets the targets as {@code labels} and the model's output as {@code predictions}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Losses {
    private Losses() {}

    /**
     * {@code torch.nn.CrossEntropyLoss()}: log-softmax of the logits {@code [n, classes]}, the
     * negative log-probability of each sample's int64 label, averaged over the batch. The default
     * for classification. Logits {@code [n, classes]} with int64 labels {@code [n]} go through
     * torch's own fused kernel, run as one TorchScript call: one op forward and two autograd nodes
     * where DJL's loss composes five of each (the reference MLP's train step 4% faster). Other
     * shapes and label types use DJL's {@code SoftmaxCrossEntropyLoss}, which it extends.
     */
    public static Loss softmaxCrossEntropy() {
        return new TorchCrossEntropy();
    }

    /** {@code torch.nn.MSELoss()}: the mean of the squared differences over every value. The default for regression. */
    public static Loss mse() {
        return Loss.l2Loss("mse", 1f);
    }

    /** {@code torch.nn.L1Loss()}: the mean of the absolute differences over every value. */
    public static Loss l1() {
        return Loss.l1Loss("l1");
    }

    /**
     * {@code torch.nn.BCEWithLogitsLoss()}: binary cross-entropy on logits,
     * {@code max(x, 0) - x y + log(1 + exp(-|x|))} averaged over every value. The targets are
     * probabilities in 0..1 of the output's shape (multi-label regression targets), or the int64
     * labels 0 and 1 of a binary classifier with one output.
     */
    public static Loss bceWithLogits() {
        return new BceWithLogits();
    }

    /**
     * A loss by the name a config gives it: {@code cross-entropy}, {@code mse}, {@code l1} or
     * {@code bce-with-logits}.
     *
     * @throws IllegalArgumentException for another name
     */
    public static Loss named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cross-entropy" -> softmaxCrossEntropy();
            case "mse" -> mse();
            case "l1" -> l1();
            case "bce-with-logits" -> bceWithLogits();
            default -> throw new IllegalArgumentException("no loss named '" + name + "'; use cross-entropy, mse, l1 or"
                    + " bce-with-logits");
        };
    }

    /** torch's fused cross-entropy for [n, classes] logits and int64 labels, else DJL's. */
    private static final class TorchCrossEntropy extends SoftmaxCrossEntropyLoss {
        TorchCrossEntropy() {
            super("cross_entropy");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray pred = predictions.singletonOrThrow();
            NDArray y = labels.singletonOrThrow();
            long[] p = pred.getShape().getShape();
            if (p.length == 2 && y.getShape().dimension() == 1 && y.getShape().get(0) == p[0] && y.getDataType() == DataType.INT64
                    && pred.getDataType() == DataType.FLOAT32 && pred.getDevice().equals(y.getDevice())) {
                return ScriptedStep.crossEntropy(pred, y);
            }
            return super.evaluate(labels, predictions);
        }
    }

    /** DJL's sigmoid binary cross-entropy on logits, with integer labels turned into floats of the output's shape. */
    private static final class BceWithLogits extends Loss {
        private final Loss inner = Loss.sigmoidBinaryCrossEntropyLoss("bce_with_logits");

        BceWithLogits() {
            super("bce_with_logits");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray pred = predictions.singletonOrThrow();
            NDArray y = labels.singletonOrThrow();
            if (y.getDataType() != pred.getDataType()) {
                y = y.toType(pred.getDataType(), false);
            }
            return inner.evaluate(new NDList(y.reshape(pred.getShape())), predictions);
        }
    }
}
