package dev.stride.engine.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * 2-D max pooling with exactly libtorch's values and gradients, faster where windows do not
 * overlap. In training libtorch runs {@code max_pool2d_with_indices}, whose CPU kernel takes 1.6-1.9
 * ms for LeNet's first pooling (64 x 6 x 28 x 28, 1 thread) against 27-46 µs for the ReLU before it,
 * and is 23-42% slower in libtorch 2.7.1 than in PyTorch 1.13 (bench/RESULTS.md, round 6). For a
 * k x k window with stride k, no padding, on float32 CPU tensors, Stride's kernel
 * ({@link NativeKernels}) finds the element libtorch would take in each window, by libtorch's own
 * rule (the first maximum in row order; a NaN wins, the last one), and the pooled values are the
 * input gathered there: the same values, and the gather's gradient, which puts each output's
 * gradient on that element, is max pooling's (no input element is in two windows). Other windows,
 * and machines without the kernel, use libtorch's pooling.
 *
 * <p>A ReLU before the pooling ({@link #afterRelu}) is applied to the pooled values only: the
 * kernel takes the element libtorch would take from relu(x), and relu of x gathered there is that
 * element of relu(x), bit for bit (the same function of the same float). Its gradient is the same
 * too: relu's backward is a function of relu's output at the one element that gets a gradient in
 * each window. That spares the ReLU of the whole input and its backward (4 times the elements for
 * LeNet's 2 x 2 windows).
 */
final class MaxPooling {
    private MaxPooling() {}

    /** A block pooling as DJL's {@code Pool.maxPool2dBlock} does (floor mode), named as it is. */
    static Block block(Shape kernel, Shape stride, Shape padding) {
        return new LambdaBlock(in -> new NDList(apply(in.singletonOrThrow(), kernel, stride, padding, false)), "maxPool2d");
    }

    /**
     * A block doing what DJL's {@code Activation.reluBlock()} followed by {@link #block} does, with
     * the same values and gradients.
     */
    static Block afterRelu(Shape kernel, Shape stride, Shape padding) {
        return new LambdaBlock(in -> new NDList(apply(in.singletonOrThrow(), kernel, stride, padding, true)), "reluMaxPool2d");
    }

    /** Max pooling of a [N, C, H, W] tensor (floor mode), of its ReLU when {@code relu}. */
    static NDArray apply(NDArray x, Shape kernel, Shape stride, Shape padding, boolean relu) {
        return apply(x, kernel, stride, padding, relu, NativeKernels.available());
    }

    /** {@link #apply(NDArray, Shape, Shape, Shape, boolean)}, with Stride's kernel where it applies when {@code ours}. */
    static NDArray apply(NDArray x, Shape kernel, Shape stride, Shape padding, boolean relu, boolean ours) {
        if (!ours || !kernelTakes(x, kernel, stride, padding)) {
            return Pool.maxPool2d(relu ? Activation.relu(x) : x, kernel, stride, padding, false);
        }
        Shape s = x.getShape();
        int k = (int) kernel.get(0);
        long n = s.get(0);
        long c = s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        long ho = h / k;
        long wo = w / k;
        NDArray planes = x.reshape(n, c, (long) h * w); // x's own memory when it is contiguous, else a contiguous copy
        NDArray indices = x.getManager().create(new Shape(n, c, ho * wo), DataType.INT64);
        NativeKernels.maxPoolIndices(DjlTensors.view(planes), DjlTensors.view(indices), n * c, h, w, k, relu);
        NDArray pooled = planes.gather(indices, 2).reshape(n, c, ho, wo);
        return relu ? Activation.relu(pooled) : pooled;
    }

    /** A non-empty float32 [N, C, H, W] CPU tensor, pooled by a square window at its own stride without padding. */
    private static boolean kernelTakes(NDArray x, Shape kernel, Shape stride, Shape padding) {
        Shape s = x.getShape();
        long k = kernel.get(0);
        boolean tiles = k >= 1 && kernel.get(1) == k && stride.get(0) == k && stride.get(1) == k && padding.get(0) == 0
                && padding.get(1) == 0;
        return tiles && s.dimension() == 4 && s.size() > 0 && s.get(2) >= k && s.get(3) >= k && s.get(2) * s.get(3) <= Integer.MAX_VALUE
                && x.getDataType() == DataType.FLOAT32 && Device.Type.CPU.equals(x.getDevice().getDeviceType());
    }
}
