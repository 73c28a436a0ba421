package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples, as shipped, run from the repository root on the bundled MNIST-10k
 * subset: the MLP reaches 95% val accuracy on the 2,000 test images, LeNet 97% (also from the PNG
 * folders); the TorchScript CNN exported from PyTorch and the sequential CNN written in the config
 * 97%, the model-zoo ResNet 95%; and on the bundled iris CSV files, the MLP classifier 93%; the
 * diabetes regressor a test R² of 0.3.
 */
class ExamplesIT {
    @TempDir
    Path tmp;

    private double finalValAccuracy(String example, String... sets) throws Exception {
        return finalVal(example, "accuracy", sets);
    }

    /** Trains the example from the repository root (with {@code --set}s) and returns the last val value of {@code metric}. */
    private double finalVal(String example, String metric, String... sets) throws Exception {
        Path work = tmp.resolve(example.replace('/', '_'));
        List<String> args = new java.util.ArrayList<>(List.of("train", example, "--work-dir", work.toString()));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        long t0 = System.nanoTime();
        StrideCli.Result r = StrideCli.run(StrideCli.repo(), args.toArray(String[]::new));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> val = Configs.jsonLog(work).stream().filter(l -> "val".equals(l.get("mode"))).toList();
        double value = ((Number) val.get(val.size() - 1).get(metric)).doubleValue();
        System.out.printf("ExamplesIT: %s %s reached val %s %.4f in %.1f s wall%n", example, String.join(" ", sets), metric,
                value, seconds);
        return value;
    }

    /** data/tabular/README.md: PyTorch's same recipe reaches a mean test R² of 0.318 over seeds 1-5, least squares 0.332. */
    @Test
    void diabetesRegressionExampleReachesR2OfPoint3() throws Exception {
        double r2 = finalVal("examples/tabular/diabetes_mlp.conf", "r2");
        assertTrue(r2 >= 0.3, "test R2 " + r2);
    }

    @Test
    void mlpEpochExampleReaches95Percent() throws Exception {
        double acc = finalValAccuracy("examples/mnist/mlp_epoch.conf");
        assertTrue(acc >= 0.95, "val accuracy " + acc);
    }

    @Test
    void lenetIterExampleReaches97Percent() throws Exception {
        double acc = finalValAccuracy("examples/mnist/lenet_iter.conf");
        assertTrue(acc >= 0.97, "val accuracy " + acc);
    }

    @Test
    void lenetPngExampleTrainsFromImageFoldersWithAugmentation() throws Exception {
        double acc = finalValAccuracy("examples/images/lenet_png.conf");
        assertTrue(acc >= 0.97, "val accuracy " + acc);
    }

    /** data/tabular/README.md: PyTorch's same recipe reaches a mean test accuracy of 0.9933 over seeds 1-5 (1.0 with seed 1). */
    @Test
    void irisCsvExampleReaches93Percent() throws Exception {
        double acc = finalValAccuracy("examples/tabular/iris_mlp.conf");
        assertTrue(acc >= 0.93, "test accuracy " + acc);
    }

    @Test
    void lenetFullExampleRunsEveryHookAndDrawsItsCurves() throws Exception {
        double acc = finalValAccuracy("examples/mnist/lenet_full.conf");
        assertTrue(acc >= 0.97, "val accuracy " + acc);
        Path work = tmp.resolve("examples_mnist_lenet_full.conf");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(work.resolve("curves.png").toFile());
        assertEquals(900, png.getWidth());
        try (var files = java.nio.file.Files.list(work.resolve("tf_logs"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")));
        }
        try (var files = java.nio.file.Files.list(work)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("best_accuracy_epoch_")));
        }
    }

    @Test
    void torchScriptCnnExampleReaches97Percent() throws Exception {
        double acc = finalValAccuracy("examples/torchscript/mnist_cnn.conf");
        assertTrue(acc >= 0.97, "val accuracy " + acc);
    }

    @Test
    void sequentialCnnExampleReaches97Percent() throws Exception {
        double acc = finalValAccuracy("examples/own-model/sequential_mnist.conf");
        assertTrue(acc >= 0.97, "val accuracy " + acc);
    }

    @Test
    void modelZooResNetExampleReaches95Percent() throws Exception {
        double acc = finalValAccuracy("examples/zoo/resnet_mnist.conf");
        assertTrue(acc >= 0.95, "val accuracy " + acc);
    }
}
