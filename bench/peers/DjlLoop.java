import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The reference MLP job (examples/mnist/mlp_epoch.conf) as the fastest plain DJL loop we know how to
 * write, with no runner: the peer that shows what Stride's runner costs on the same kernels.
 *
 * Same job as bench/peers/torch_loop.py: MLP 784-256-128-10 (ReLU, He-normal weights, zero biases),
 * SGD lr 0.1 momentum 0.9 weight decay 1e-4, lr x 0.1 from epoch 4 on, batch 64 shuffled, val batch
 * 500, 4 epochs of train then val, the loss read every iteration, a log line every 50 iterations, a
 * checkpoint (weights and momentum) after every train epoch. Tuned: both data sets uploaded to
 * native memory once and each batch gathered from them by one index_select; DJL's fused native
 * SGD update (MXNet's form, its momentum rescaled when the lr changes), gradients zeroed in place,
 * the loss read from the tensor's memory (no clone), every step's tensors freed at its end (an
 * NDScope), no per-step Java collections. Run it with Stride's settings for the machine (JIT,
 * collector, threads, glibc malloc; bench/peers/run does). Prints, as the
 * PyTorch peers do:
 *   samples_per_s=... acc=... wall=... steady_samples_per_s=...
 * Run with the distribution's jars (bench/peers/run does):
 *   java -cp 'app/target/stride/lib/*:app/target/stride/native/*' bench/peers/DjlLoop.java data/mnist-10k DIR
 */
public final class DjlLoop {
    static final int BATCH = 64, VAL_BATCH = 500, EPOCHS = 4, LOG_INTERVAL = 50, WARM_UP_ITERS = 125;
    static final float LR = 0.1f, MOMENTUM = 0.9f, WD = 1e-4f, GAMMA = 0.1f;
    static final long T0 = System.nanoTime();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path workDir = Files.createDirectories(Path.of(args[1]));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray[] train = load(m, root, "train");
            NDArray[] val = load(m, root, "t10k");
            int n = (int) train[1].size();

            SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock(784));
            int[] units = {256, 128, 10};
            for (int i = 0; i < units.length; i++) {
                net.add(Linear.builder().setUnits(units[i]).build());
                if (i < units.length - 1) {
                    net.add(Activation.reluBlock());
                }
            }
            net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                    Parameter.Type.WEIGHT);
            Engine.getEngine("PyTorch").setRandomSeed(42);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            List<NDArray> weights = new ArrayList<>();
            List<NDArray> momenta = new ArrayList<>();
            for (var p : net.getParameters()) {
                NDArray w = p.getValue().getArray();
                weights.add(w);
                momenta.add(m.zeros(w.getShape()));
            }
            ParameterStore store = new ParameterStore(m, false);
            NDArray[] grads = null;

            System.out.printf("DJL %s, PyTorch %s, threads %s, train %d, val %d, work dir %s%n", Engine.getDjlVersion(),
                    Engine.getEngine("PyTorch").getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    n, val[1].size(), workDir);
            Random shuffle = new Random(42);
            int[] order = new int[n];
            long[] batchIdx = new long[BATCH];
            double trainTime = 0;
            long trainSamples = 0;
            List<double[]> epochTimes = new ArrayList<>();
            double acc = Double.NaN;
            float lr = LR;
            int it = 0;
            int iters = n / BATCH;
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                float epochLr = epoch >= 3 ? LR * GAMMA : LR;
                if (epochLr != lr) {
                    // MXNet's momentum holds lr * buffer: rescale it so the update stays torch.optim's
                    for (NDArray s : momenta) {
                        s.muli(epochLr / lr);
                    }
                    lr = epochLr;
                }
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int i = n - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                double[] times = new double[iters];
                double lossSum = 0;
                long t = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    for (int k = 0; k < BATCH; k++) {
                        batchIdx[k] = order[i * BATCH + k];
                    }
                    try (NDScope step = new NDScope()) {
                        NDArray idx = m.create(batchIdx);
                        NDArray x = train[0].get(idx);
                        NDArray y = train[1].get(idx);
                        NDArray loss;
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
                            loss = logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(y)).mean().neg();
                            gc.backward(loss);
                        }
                        if (grads == null) {
                            grads = new NDArray[weights.size()];
                            for (int p = 0; p < grads.length; p++) {
                                grads[p] = weights.get(p).getGradient();
                                NDScope.unregister(grads[p]); // the gradient's storage lives as long as its weight
                            }
                        }
                        for (int p = 0; p < grads.length; p++) {
                            JniUtils.sgdUpdate((PtNDArray) weights.get(p), (PtNDArray) grads[p], (PtNDArray) momenta.get(p),
                                    lr, WD, 1f, -1f, MOMENTUM);
                            JniUtils.zeroGrad((PtNDArray) weights.get(p));
                        }
                        lossSum += loss.toByteBuffer(true).order(ByteOrder.nativeOrder()).getFloat(0);
                    }
                    it++;
                    trainSamples += BATCH;
                    long t2 = System.nanoTime();
                    times[i] = (t2 - t) / 1e9;
                    t = t2;
                    if ((i + 1) % LOG_INTERVAL == 0) {
                        double mean = 0;
                        for (int k = i + 1 - LOG_INTERVAL; k <= i; k++) {
                            mean += times[k];
                        }
                        System.out.printf("Epoch [%d][%d/%d]\tlr: %.3e, time: %.4f, loss: %.4f%n", epoch + 1, i + 1, iters, lr,
                                mean / LOG_INTERVAL, lossSum / LOG_INTERVAL);
                        lossSum = 0;
                    }
                }
                for (double d : times) {
                    trainTime += d;
                }
                epochTimes.add(times);
                checkpoint(workDir.resolve("epoch_" + (epoch + 1) + ".bin"), weights, momenta);
                acc = validate(m, net, store, val);
                System.out.printf("Epoch(val) [%d]\taccuracy: %.4f%n", epoch + 1, acc);
            }
            double steady = 0;
            int counted = 0;
            int seen = 0;
            for (double[] times : epochTimes) {
                for (double d : times) {
                    if (seen++ >= WARM_UP_ITERS) {
                        steady += d;
                        counted++;
                    }
                }
            }
            System.out.printf("samples_per_s=%.0f acc=%.4f wall=%.2f steady_samples_per_s=%.0f%n", trainSamples / trainTime, acc,
                    (System.nanoTime() - T0) / 1e9, counted * (double) BATCH / steady);
        }
    }

    static double validate(NDManager m, SequentialBlock net, ParameterStore store, NDArray[] val) {
        long n = val[1].size();
        long correct = 0;
        for (long s = 0; s < n; s += VAL_BATCH) {
            try (NDScope step = new NDScope()) {
                NDIndex range = new NDIndex(s + ":" + Math.min(n, s + VAL_BATCH));
                NDArray x = val[0].get(range);
                NDArray y = val[1].get(range);
                NDArray logits = net.forward(store, new NDList(x), false).singletonOrThrow();
                correct += logits.argMax(1).eq(y).sum().getLong();
            }
        }
        return correct / (double) n;
    }

    static void checkpoint(Path file, List<NDArray> weights, List<NDArray> momenta) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (List<NDArray> list : List.of(weights, momenta)) {
                for (NDArray a : list) {
                    ch.write(a.toByteBuffer());
                }
            }
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Images [N, 1, 28, 28] scaled to 0..1, as the reference job's data, and int64 labels. */
    static NDArray[] load(NDManager m, Path root, String split) throws IOException {
        byte[] images = idx(root.resolve(split + "-images-idx3-ubyte.gz"));
        byte[] labels = idx(root.resolve(split + "-labels-idx1-ubyte.gz"));
        int n = labels.length;
        FloatBuffer x = ByteBuffer.allocateDirect(n * 784 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (byte b : images) {
            x.put((b & 0xff) / 255f);
        }
        LongBuffer y = ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
        for (byte b : labels) {
            y.put(b & 0xff);
        }
        return new NDArray[] {m.create(x.rewind(), new Shape(n, 1, 28, 28)), m.create(y.rewind(), new Shape(n))};
    }

    static byte[] idx(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            int magic = in.readInt();
            int dims = magic & 0xff;
            long size = 1;
            for (int d = 0; d < dims; d++) {
                size *= in.readInt();
            }
            return in.readNBytes((int) size);
        }
    }
}
