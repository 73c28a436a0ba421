package dev.stride.runner.api.checkpoint.fuzz;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DType;
import dev.stride.runner.api.Tensor;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Valid checkpoints to mutate: what a training run writes, one without tensors, one of MNIST size. */
final class SeedCheckpoints {
    private SeedCheckpoints() {}

    /** Like the runner's: format, position, config JSON, hook and log state; an MLP with momentum. */
    static Checkpoint training() {
        Checkpoint ck = new Checkpoint();
        ck.putMetadata("stride.format", "stride-checkpoint/1");
        ck.putMetadata("runner.type", "epoch");
        ck.putMetadata("runner.epoch", "2");
        ck.putMetadata("runner.iter", "200");
        ck.putMetadata("runner.phase", "0");
        ck.putMetadata("runner.repeat", "1");
        ck.putMetadata("runner.inner_iter", "0");
        ck.putMetadata("runner.mode", "train");
        ck.putMetadata("runner.seed", "11");
        ck.putMetadata("config", "{\"runner\":{\"type\":\"epoch\",\"max-epochs\":3},\"work-dir\":\"/tmp/wörk 日本\","
                + "\"model\":{\"type\":\"mlp\",\"hidden\":[16]},\"optimizer\":{\"type\":\"sgd\",\"lr\":0.1,\"momentum\":0.9},"
                + "\"hooks\":[{\"type\":\"checkpoint\",\"interval\":1},{\"type\":\"json-logger\",\"interval\":10}]}");
        ck.putMetadata("hook.checkpoint.best", "0.8125");
        ck.putMetadata("log.train.loss", "0.4375");
        ck.putTensor("model.fc1.weight", floats(new long[] {16, 8}, 1));
        ck.putTensor("model.fc1.bias", floats(new long[] {16}, 2));
        ck.putTensor("model.fc2.weight", floats(new long[] {10, 16}, 3));
        ck.putTensor("model.fc2.bias", floats(new long[] {10}, 4));
        ck.putTensor("optimizer.fc1.weight.momentum", floats(new long[] {16, 8}, 5));
        ck.putTensor("optimizer.fc2.bias.momentum", floats(new long[] {10}, 6));
        ck.putTensor("optimizer.step", bytes(DType.I64, new long[0], 7));
        ck.putTensor("ema.fc2.bias", bytes(DType.BF16, new long[] {10}, 8));
        ck.putTensor("mask", bytes(DType.BOOL, new long[] {5}, 9));
        ck.putTensor("empty", bytes(DType.F32, new long[] {0, 3}, 10));
        return ck;
    }

    /** Only metadata: the checksum entry is near the end of the header. */
    static Checkpoint metadataOnly() {
        Checkpoint ck = new Checkpoint();
        ck.putMetadata("stride.format", "stride-checkpoint/1");
        ck.putMetadata("runner.epoch", "3");
        ck.putMetadata("note", "é 😀 \" \\");
        return ck;
    }

    /** An MLP 784-128-10 with momentum buffers: about 0.8 MB, like a real MNIST checkpoint. */
    static Checkpoint mnistSized() {
        Checkpoint ck = new Checkpoint();
        ck.putMetadata("stride.format", "stride-checkpoint/1");
        ck.putMetadata("runner.epoch", "1");
        ck.putTensor("model.fc1.weight", floats(new long[] {128, 784}, 11));
        ck.putTensor("model.fc1.bias", floats(new long[] {128}, 12));
        ck.putTensor("model.fc2.weight", floats(new long[] {10, 128}, 13));
        ck.putTensor("model.fc2.bias", floats(new long[] {10}, 14));
        ck.putTensor("optimizer.fc1.weight.momentum", floats(new long[] {128, 784}, 15));
        return ck;
    }

    private static Tensor floats(long[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) (Tensor.byteSize(DType.F32, shape) / 4)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(shape, v);
    }

    private static Tensor bytes(DType dtype, long[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[(int) Tensor.byteSize(dtype, shape)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (dtype == DType.BOOL ? r.nextInt(2) : r.nextInt(256));
        }
        return new Tensor(dtype, shape, ByteBuffer.wrap(b));
    }
}
