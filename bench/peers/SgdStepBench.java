import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SGD step over the parameters of the MLP or LeNet reference job, two ways: Stride's (torch.optim's
 * loop as one TorchScript call, engine-djl's sgd_step.pt) and DJL's fused native update (MXNet's
 * arithmetic, not torch.optim's). Prints microseconds per step, 3 rounds of 2,000 steps:
 *   java -cp 'app/target/stride/lib/*:app/target/stride/native/*' bench/peers/SgdStepBench.java mlp|lenet
 */
public final class SgdStepBench {
    public static void main(String[] args) {
        PtNDManager m = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
        long[][] shapes = args[0].equals("lenet")
                ? new long[][] {{6, 1, 5, 5}, {6}, {16, 6, 5, 5}, {16}, {120, 400}, {120}, {84, 120}, {84}, {10, 84}, {10}}
                : new long[][] {{256, 784}, {256}, {128, 256}, {128}, {10, 128}, {10}};
        List<PtNDArray> w = new ArrayList<>();
        List<PtNDArray> g = new ArrayList<>();
        List<PtNDArray> b = new ArrayList<>();
        for (long[] s : shapes) {
            PtNDArray weight = (PtNDArray) m.randomNormal(new Shape(s));
            weight.setRequiresGradient(true);
            w.add(weight);
            g.add((PtNDArray) m.randomNormal(new Shape(s)));
            b.add((PtNDArray) m.zeros(new Shape(s)));
        }
        // each weight's gradient becomes g, as a backward pass leaves it (the scripted step reads param.grad)
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray total = null;
            for (int p = 0; p < w.size(); p++) {
                NDArray term = w.get(p).mul(g.get(p)).sum();
                total = total == null ? term : total.add(term);
            }
            gc.backward(total);
        }
        List<PtNDArray> grads = new ArrayList<>();
        for (PtNDArray weight : w) {
            grads.add((PtNDArray) weight.getGradient());
        }
        PtSymbolBlock step = JniUtils.loadModule(m, Path.of("engine-djl/src/main/resources/dev/stride/engine/djl/optim/sgd_step.pt"),
                false, new String[0], new String[0], false);
        int n = 2000;
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                IValue[] in = {
                    IValue.listFrom(w.toArray(new PtNDArray[0])), IValue.listFrom(b.toArray(new PtNDArray[0])), IValue.from(0.01),
                    IValue.from(0.9), IValue.from(0.0), IValue.from(5e-4), IValue.from(false), IValue.from(false)
                };
                try (IValue done = step.forward(in)) {
                    // the count of parameters updated
                }
                for (IValue v : in) {
                    v.close();
                }
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < w.size(); p++) {
                    JniUtils.sgdUpdate(w.get(p), grads.get(p), b.get(p), 0.01f, 5e-4f, 1f, -1f, 0.9f);
                }
            }
            long t2 = System.nanoTime();
            System.out.printf("sgd_step.%s.round_%d: torchscript %.1f us, djl_fused %.1f us%n", args[0], round, (t1 - t0) / (n * 1e3),
                    (t2 - t1) / (n * 1e3));
        }
    }
}
