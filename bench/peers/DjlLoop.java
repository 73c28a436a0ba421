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
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
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
 * Stride's two reference jobs as the fastest plain DJL loops we know how to write, with no runner:
 * the peer that shows what Stride's runner costs on the same kernels.
 *
 * mlp: examples/mnist/mlp_epoch.conf, as bench/peers/torch_loop.py: MLP 784-256-128-10 (ReLU,
 * He-normal weights, zero biases), SGD lr 0.1 momentum 0.9 weight decay 1e-4, lr x 0.1 from epoch 4
 * on, 4 epochs of 125 iterations, each followed by a checkpoint and a val epoch.
 * lenet: examples/mnist/lenet_iter.conf, as bench/peers/torch_lenet.py: LeNet-5 (conv 5x5 padding 2,
 * 6 filters, ReLU, max pool 2x2, conv 5x5, 16 filters, ReLU, max pool, 120, 84, 10), SGD lr 0.05
 * momentum 0.9 weight decay 5e-4, lr x 0.1 from iteration 1000 on, 1,500 iterations, a val epoch
 * every 250 and a checkpoint every 500.
 * Both: batch 64 shuffled anew every 125 iterations (one pass over the 8,000 images), val batch 500,
 * the loss read every iteration, a log line every 50 iterations. Tuned: both data sets uploaded to
 * native memory once and each batch gathered from them by one index_select; DJL's fused native
 * SGD update (MXNet's form, its momentum rescaled when the lr changes), gradients zeroed in place,
 * the loss read from the tensor's memory (no clone), every step's tensors freed at its end (an
 * NDScope), no per-step Java collections. Run it with Stride's settings for the machine (JIT,
 * collector, threads, glibc malloc; bench/peers/run does). Prints, as the
 * PyTorch peers do:
 *   samples_per_s=... acc=... wall=... steady_samples_per_s=...
 * Run with the distribution's jars (bench/peers/run does):
 *   java -cp 'app/target/stride/lib/*:app/target/stride/native/*' bench/peers/DjlLoop.java mlp|lenet data/mnist-10k DIR
 *
 * {@code phases STEPS data/mnist-10k} instead times one step of the MLP job phase by phase, as
 * bench/peers/step_phases.py times PyTorch's (bench/peers/phases runs both): gather (one
 * index_select per tensor, as PyTorch's X[idx]), forward, loss (torch's fused cross-entropy as
 * Stride runs it, engine-djl's cross_entropy.pt; with -Dloss=djl DJL's softmax cross-entropy),
 * backward, update and zero_grad (Stride's TorchScript steps, engine-djl's sgd_step.pt and
 * zero_grad.pt), read (the loss from the tensor's memory), and free (the step's
 * tensors). Prints phase=NAME median_us=.. mean_us=.. per phase, then total_us=.
 */
public final class DjlLoop {
    static final int BATCH = 64, VAL_BATCH = 500, LOG_INTERVAL = 50, WARM_UP_ITERS = 125;
    static final float MOMENTUM = 0.9f, GAMMA = 0.1f;
    static final long T0 = System.nanoTime();

    /** One job: its network and schedule. */
    record Job(SequentialBlock net, int iters, int valEvery, int checkpointEvery, int lrStepAt, float lr, float wd) {}

    static Job job(String name) {
        SequentialBlock net = new SequentialBlock();
        if (name.equals("mlp")) {
            net.add(Blocks.batchFlattenBlock(784));
            dense(net, 256, 128, 10);
            net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                    Parameter.Type.WEIGHT);
            return new Job(net, 500, 125, 125, 375, 0.1f, 1e-4f);
        }
        if (name.equals("lenet")) {
            int[] filters = {6, 16};
            for (int i = 0; i < 2; i++) {
                net.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(i == 0 ? new Shape(2, 2) : new Shape(0, 0))
                        .setFilters(filters[i]).build());
                net.add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            net.add(Blocks.batchFlattenBlock());
            dense(net, 120, 84, 10);
            return new Job(net, 1500, 250, 500, 1000, 0.05f, 5e-4f);
        }
        throw new IllegalArgumentException("job mlp or lenet, not " + name);
    }

    static void dense(SequentialBlock net, int... units) {
        for (int i = 0; i < units.length; i++) {
            net.add(Linear.builder().setUnits(units[i]).build());
            if (i < units.length - 1) {
                net.add(Activation.reluBlock());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("phases")) {
            phases(Integer.parseInt(args[1]), Path.of(args[2]));
            return;
        }
        Job job = job(args[0]);
        Path root = Path.of(args[1]);
        Path workDir = Files.createDirectories(Path.of(args[2]));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray[] train = load(m, root, "train");
            NDArray[] val = load(m, root, "t10k");
            int n = (int) train[1].size();
            SequentialBlock net = job.net();
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

            System.out.printf("%s: DJL %s, PyTorch %s, threads %s, train %d, val %d, work dir %s%n", args[0], Engine.getDjlVersion(),
                    Engine.getEngine("PyTorch").getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    n, val[1].size(), workDir);
            Random shuffle = new Random(42);
            int[] order = new int[n];
            long[] batchIdx = new long[BATCH];
            int perPass = n / BATCH;
            double[] times = new double[job.iters()];
            double lossSum = 0;
            double acc = Double.NaN;
            float lr = job.lr();
            long t = System.nanoTime();
            for (int it = 0; it < job.iters(); it++) {
                int i = it % perPass;
                if (i == 0) {
                    shuffle(order, shuffle);
                }
                if (it == job.lrStepAt()) {
                    // MXNet's momentum holds lr * buffer: rescale it so the update stays torch.optim's
                    for (NDArray s : momenta) {
                        s.muli(GAMMA);
                    }
                    lr *= GAMMA;
                }
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
                        JniUtils.sgdUpdate((PtNDArray) weights.get(p), (PtNDArray) grads[p], (PtNDArray) momenta.get(p), lr,
                                job.wd(), 1f, -1f, MOMENTUM);
                        JniUtils.zeroGrad((PtNDArray) weights.get(p));
                    }
                    lossSum += loss.toByteBuffer(true).order(ByteOrder.nativeOrder()).getFloat(0);
                }
                long t2 = System.nanoTime();
                times[it] = (t2 - t) / 1e9;
                if ((it + 1) % LOG_INTERVAL == 0) {
                    double mean = 0;
                    for (int k = it + 1 - LOG_INTERVAL; k <= it; k++) {
                        mean += times[k];
                    }
                    System.out.printf("Iter [%d/%d]\tlr: %.3e, time: %.4f, loss: %.4f%n", it + 1, job.iters(), lr,
                            mean / LOG_INTERVAL, lossSum / LOG_INTERVAL);
                    lossSum = 0;
                }
                if ((it + 1) % job.checkpointEvery() == 0) {
                    checkpoint(workDir.resolve("iter_" + (it + 1) + ".bin"), weights, momenta);
                }
                if ((it + 1) % job.valEvery() == 0) {
                    acc = validate(m, net, store, val);
                    System.out.printf("Val [%d]\taccuracy: %.4f%n", it + 1, acc);
                }
                t = System.nanoTime(); // as MMCV's timer: checkpoints and val epochs are not train time
            }
            double all = 0;
            double steady = 0;
            for (int it = 0; it < times.length; it++) {
                all += times[it];
                if (it >= WARM_UP_ITERS) {
                    steady += times[it];
                }
            }
            System.out.printf("samples_per_s=%.0f acc=%.4f wall=%.2f steady_samples_per_s=%.0f%n", times.length * (double) BATCH / all,
                    acc, (System.nanoTime() - T0) / 1e9, (times.length - WARM_UP_ITERS) * (double) BATCH / steady);
        }
    }

    static void phases(int steps, Path root) {
        String[] names = {"gather", "forward", "loss", "backward", "update", "zero_grad", "read", "free"};
        long[][] times = new long[names.length][steps];
        PtNDManager m = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
        NDArray[] train;
        try {
            train = load(m, root, "train");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Job job = job("mlp");
        Engine.getEngine("PyTorch").setRandomSeed(42);
        job.net().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        List<PtNDArray> weights = new ArrayList<>();
        List<PtNDArray> momenta = new ArrayList<>();
        for (var p : job.net().getParameters()) {
            PtNDArray w = (PtNDArray) p.getValue().getArray();
            weights.add(w);
            momenta.add((PtNDArray) m.zeros(w.getShape()));
        }
        ParameterStore store = new ParameterStore(m, false);
        ai.djl.training.loss.Loss loss = ai.djl.training.loss.Loss.softmaxCrossEntropyLoss("cross_entropy");
        Path scripts = Path.of("engine-djl/src/main/resources/dev/stride/engine/djl/optim");
        PtSymbolBlock sgd = JniUtils.loadModule(m, scripts.resolve("sgd_step.pt"), false, new String[0], new String[0], false);
        PtSymbolBlock zero = JniUtils.loadModule(m, scripts.resolve("zero_grad.pt"), false, new String[0], new String[0], false);
        PtSymbolBlock crossEntropy = "djl".equals(System.getProperty("loss")) ? null
                : JniUtils.loadModule(m, scripts.resolve("cross_entropy.pt"), false, new String[0], new String[0], false);
        int n = (int) train[1].size();
        Random shuffle = new Random(42);
        int[] order = new int[n];
        long[] batchIdx = new long[BATCH];
        for (int it = 0; it < steps; it++) {
            int i = it % (n / BATCH);
            if (i == 0) {
                shuffle(order, shuffle);
            }
            for (int k = 0; k < BATCH; k++) {
                batchIdx[k] = order[i * BATCH + k];
            }
            long[] t = new long[names.length + 1];
            t[0] = System.nanoTime();
            NDScope scope = new NDScope();
            NDArray idx = m.create(batchIdx);
            NDArray x = train[0].get(idx);
            NDArray y = train[1].get(idx);
            t[1] = System.nanoTime();
            NDArray l;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = job.net().forward(store, new NDList(x), true).singletonOrThrow();
                t[2] = System.nanoTime();
                l = crossEntropy == null ? loss.evaluate(new NDList(y), new NDList(logits))
                        : ai.djl.pytorch.jni.IValueUtils.forward(crossEntropy, new NDList(logits, y), true).singletonOrThrow();
                t[3] = System.nanoTime();
                gc.backward(l);
            }
            t[4] = System.nanoTime();
            IValue[] in = {IValue.listFrom(weights.toArray(new PtNDArray[0])), IValue.listFrom(momenta.toArray(new PtNDArray[0])),
                IValue.from(0.01), IValue.from(0.9), IValue.from(0.0), IValue.from(1e-4), IValue.from(false), IValue.from(false)};
            try (IValue done = sgd.forward(in)) {
                // the count of parameters updated
            }
            for (IValue v : in) {
                v.close();
            }
            t[5] = System.nanoTime();
            try (IValue list = IValue.listFrom(weights.toArray(new PtNDArray[0])); IValue done = zero.forward(list)) {
                // the count of gradients zeroed
            }
            t[6] = System.nanoTime();
            l.toByteBuffer(true).order(ByteOrder.nativeOrder()).getFloat(0);
            t[7] = System.nanoTime();
            scope.close();
            t[8] = System.nanoTime();
            for (int k = 0; k < names.length; k++) {
                times[k][it] = t[k + 1] - t[k];
            }
        }
        System.out.printf("DJL %s, PyTorch %s, threads %s, steps %d%n", Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), steps);
        double total = 0;
        for (int k = 0; k < names.length; k++) {
            long[] kept = java.util.Arrays.copyOfRange(times[k], steps / 4, steps);
            java.util.Arrays.sort(kept);
            double mean = java.util.Arrays.stream(kept).average().orElse(0) / 1e3;
            total += mean;
            System.out.printf("phase=%s median_us=%.1f mean_us=%.1f%n", names[k], kept[kept.length / 2] / 1e3, mean);
        }
        System.out.printf("total_us=%.1f%n", total);
    }

    static void shuffle(int[] order, Random r) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
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
