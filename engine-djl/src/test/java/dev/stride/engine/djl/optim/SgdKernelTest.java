package dev.stride.engine.djl.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.data.SyntheticProvider;
import dev.stride.engine.djl.model.MlpProvider;
import dev.stride.engine.djl.model.NativeKernels;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.spi.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SGD by Stride's kernel, where the probe chose it, gives torch.optim's loop's bits: an MLP trained
 * 12 steps (with an odd-sized layer, so every vector width leaves a tail) by each, with every mix
 * of weight decay, momentum, dampening and Nesterov, ends with the same parameters and momentum
 * buffers, bit for bit.
 */
class SgdKernelTest {
    private final DataLoader data = new SyntheticProvider().create(ConfigFactory.parseString(
            "size = 64, shape = [37], num-classes = 5, batch-size = 16, shuffle = true, prefetch = 0")
            .withFallback(ProviderRegistry.defaults(ProviderKind.DATASET, new SyntheticProvider())), Mode.TRAIN, 1);

    @AfterEach
    void kernelsBack() {
        System.clearProperty("stride.kernels");
    }

    @Test
    void theKernelWhereChosenGivesTheScriptsBitsOverTwelveSteps() {
        long start = System.nanoTime();
        SgdKernel.Form form = SgdKernel.form();
        System.out.println("SGD update on this machine: " + form + ", probed in " + (System.nanoTime() - start) / 1_000_000 + " ms" + " (FMA: " + (NativeKernels.available() && NativeKernels.hasFma()) + ")");
        double[][] options = {{0.1, 0.9, 0, 5e-4, 0}, {0.05, 0.9, 0, 0, 1}, {0.1, 0, 0, 1e-3, 0}, {0.02, 0.8, 0.2, 1e-4, 0}};
        for (double[] o : options) {
            Checkpoint.Section byKernel = train(o);
            System.setProperty("stride.kernels", "libtorch");
            Checkpoint.Section byScript = train(o);
            System.clearProperty("stride.kernels");
            assertEquals(byScript.tensorNames(), byKernel.tensorNames());
            for (String name : byScript.tensorNames()) {
                Tensor a = byScript.tensor(name);
                Tensor b = byKernel.tensor(name);
                assertArrayEquals(bytes(a), bytes(b), name + " with lr, momentum, dampening, decay, nesterov " + java.util.Arrays.toString(o));
            }
        }
    }

    @Test
    void theProbeAcceptsNoFormThatDiffersFromTheScript() {
        // the kernel without fused multiply-adds differs from ATen's vectorised adds where they fuse: on a machine whose
        // probe chose FUSED, PLAIN must fail the probe (else the probe could not tell them apart)
        if (SgdKernel.form() == SgdKernel.Form.FUSED) {
            assertTrue(!SgdKernel.matches(SgdKernel.Form.PLAIN), "the probe tells products rounded first from fused ones");
        }
    }

    /** 12 SGD steps of a fresh MLP (37 -> 19 -> 5: odd sizes), its state and the optimizer's. */
    private Checkpoint.Section train(double[] o) {
        MlpProvider p = new MlpProvider();
        DjlModel m = (DjlModel) p.create(ConfigFactory.parseString("hidden = [19]")
                .withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)), data.spec(), 3);
        try {
            Sgd sgd = new Sgd(m, o[0], o[1], o[2], o[3], o[4] != 0);
            for (int step = 0; step < 12; step++) {
                try (BatchStream s = data.open(step / 4, step % 4); Batch b = s.next()) {
                    m.trainStep(b, step);
                }
                sgd.step();
                sgd.zeroGrad();
            }
            Checkpoint c = new Checkpoint();
            Checkpoint.Section state = c.section("", "");
            m.saveState(state);
            sgd.saveState(state);
            return state;
        } finally {
            m.close();
        }
    }

    private static byte[] bytes(Tensor t) {
        java.nio.ByteBuffer b = t.data().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
