package dev.stride.engine.djl.optim;

import com.typesafe.config.ConfigFactory;
import dev.stride.bench.Figures;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.data.SyntheticProvider;
import dev.stride.engine.djl.model.LeNetProvider;
import dev.stride.engine.djl.model.MlpProvider;
import dev.stride.engine.djl.model.NativeKernels;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.ProviderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SGD step and zero_grad (momentum 0.9, weight decay 1e-4, as the optimizer hook calls them)
 * of the reference MLP (784-256-128-10, 235,146 parameters) and of LeNet (61,706): Stride's kernel
 * against torch.optim's loop in TorchScript ({@code -Dstride.kernels=libtorch}'s path), switched
 * block by block in one process so that both see the same machine. Prints each round and the
 * medians over the rounds, in microseconds: {@code sgd.<model>.<kernel|script>_us}. In the bench
 * module's jar but in engine-djl's package, to reach its package-private optimizer (class path only).
 *
 * <p>Usage: {@code SgdBench <rounds>}
 */
public final class SgdBench {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        if (!NativeKernels.available()) {
            System.out.println("sgd: Stride's kernels are not available here (Linux x86-64 only, or -Dstride.kernels=libtorch)");
            return;
        }
        System.out.println("sgd: the kernel's form on this machine: " + SgdKernel.form());
        Map<String, List<Double>> all = new LinkedHashMap<>();
        DataLoader data = new SyntheticProvider().create(ConfigFactory.parseString(
                "size = 64, shape = [1, 28, 28], num-classes = 10, batch-size = 64, prefetch = 0")
                .withFallback(ProviderRegistry.defaults(ProviderKind.DATASET, new SyntheticProvider())), Mode.TRAIN, 1);
        for (String job : new String[] {"mlp", "lenet"}) {
            ModelProvider p = job.equals("mlp") ? new MlpProvider() : new LeNetProvider();
            DjlModel m = (DjlModel) p.create(ConfigFactory.parseString(job.equals("mlp") ? "hidden = [256, 128]" : "{}")
                    .withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)), data.spec(), 3);
            try {
                Sgd sgd = new Sgd(m, 0.1, 0.9, 0, 1e-4, false);
                try (BatchStream s = data.open(0, 0); Batch b = s.next()) {
                    m.trainStep(b, 0);
                }
                for (int r = 1; r <= rounds; r++) {
                    long[][] t = new long[2][20 * 50];
                    for (int block = -2; block < 20; block++) {
                        for (int side = 0; side < 2; side++) {
                            if (side == 1) {
                                System.setProperty("stride.kernels", "libtorch");
                            } else {
                                System.clearProperty("stride.kernels");
                            }
                            for (int i = 0; i < 50; i++) {
                                long t0 = System.nanoTime();
                                sgd.step();
                                sgd.zeroGrad();
                                if (block >= 0) {
                                    t[side][block * 50 + i] = System.nanoTime() - t0;
                                }
                            }
                        }
                    }
                    System.clearProperty("stride.kernels");
                    for (int side = 0; side < 2; side++) {
                        long[] x = t[side];
                        Arrays.sort(x);
                        String key = "sgd." + job + "." + (side == 0 ? "kernel" : "script") + "_us";
                        double median = x[x.length / 2] / 1e3;
                        all.computeIfAbsent(key, k -> new ArrayList<>()).add(median);
                        System.out.printf("round %d %s: %.0f%n", r, key, median);
                    }
                }
            } finally {
                m.close();
            }
        }
        all.forEach((key, v) -> System.out.printf("%s: %.0f%n", key, Figures.median(v.stream().mapToDouble(Double::doubleValue)
                .toArray())));
    }
}
