import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LeNet's layers one by one through DJL's libtorch, as op_times.py times them in PyTorch: each
 * layer's forward (autograd recording, as in training) and its forward plus backward (with a
 * gradient of ones), on the shapes of examples/mnist/lenet_iter.conf's train step (batch 64). Prints
 * "op=<layer> fwd_us=<median> step_us=<median>" per layer. Threads: -Dai.djl.pytorch.num_threads.
 *   java -cp 'app/target/stride/lib/*:app/target/stride/native/*' bench/peers/DjlOps.java [STEPS]
 * bench/peers/ops runs it against op_times.py, interleaved.
 */
public final class DjlOps {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Object[]> layers = new LinkedHashMap<>();
            layers.put("conv1", new Object[] {Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(6).build(), new Shape(64, 1, 28, 28), false});
            layers.put("relu1", new Object[] {Activation.reluBlock(), new Shape(64, 6, 28, 28), true});
            layers.put("pool1", new Object[] {Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)), new Shape(64, 6, 28, 28), true});
            layers.put("conv2", new Object[] {Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build(), new Shape(64, 6, 14, 14), true});
            layers.put("relu2", new Object[] {Activation.reluBlock(), new Shape(64, 16, 10, 10), true});
            layers.put("pool2", new Object[] {Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)), new Shape(64, 16, 10, 10), true});
            layers.put("fc1", new Object[] {Linear.builder().setUnits(120).build(), new Shape(64, 400), true});
            layers.put("fc2", new Object[] {Linear.builder().setUnits(84).build(), new Shape(64, 120), true});
            layers.put("fc3", new Object[] {Linear.builder().setUnits(10).build(), new Shape(64, 84), true});
            ParameterStore store = new ParameterStore(m, false);
            System.out.printf("DJL %s, PyTorch %s, threads %s, steps %d%n", Engine.getDjlVersion(), engine.getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), steps);
            double fwdSum = 0;
            double stepSum = 0;
            for (Map.Entry<String, Object[]> e : layers.entrySet()) {
                Block block = (Block) e.getValue()[0];
                Shape shape = (Shape) e.getValue()[1];
                block.initialize(m, DataType.FLOAT32, shape);
                NDArray x = Activation.relu(m.randomNormal(shape)); // as after a ReLU: many zeros
                x.setRequiresGradient((Boolean) e.getValue()[2]);
                long[] fwd = new long[steps];
                long[] all = new long[steps];
                for (int i = -steps / 4; i < steps; i++) { // a quarter as warm-up
                    try (NDManager step = m.newSubManager()) {
                        x.tempAttach(step);
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                            long t1 = System.nanoTime();
                            gc.backward(y); // with a gradient of ones (DJL's onesLike), as op_times.py
                            long t2 = System.nanoTime();
                            if (i >= 0) {
                                fwd[i] = t1 - t0;
                                all[i] = t2 - t0;
                            }
                        }
                    }
                }
                double f = median(fwd);
                double a = median(all);
                fwdSum += f;
                stepSum += a;
                System.out.printf("op=%s fwd_us=%.1f step_us=%.1f%n", e.getKey(), f, a);
            }
            System.out.printf("op=all fwd_us=%.1f step_us=%.1f%n", fwdSum, stepSum);
        }
    }

    static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e3;
    }
}
