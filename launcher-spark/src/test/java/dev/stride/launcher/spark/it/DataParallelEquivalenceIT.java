package dev.stride.launcher.spark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2 ranks x per-rank batch 32 on Spark end with the weights of 1 process x batch 64, after 24
 * steps (crossing an epoch boundary), with SGD (momentum) and with Adam: every parameter within
 * 1e-5 of the largest parameter magnitude. Without the division by the number of ranks the same
 * check fails, so it can tell.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataParallelEquivalenceIT {
    private static final String SGD = "{ type = sgd, lr = 0.05, momentum = 0.9 }";
    private static final String ADAM = "{ type = adam, lr = 0.002 }";
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    private final Map<String, Weights> singleProcess = new HashMap<>();

    @Test
    void twoRanksOfBatch32EqualOneProcessOfBatch64WithSgd() throws Exception {
        double relative = distance(SGD, "mean");
        assertTrue(relative <= TOLERANCE, "SGD: max difference / max parameter = " + relative);
    }

    @Test
    void twoRanksOfBatch32EqualOneProcessOfBatch64WithAdam() throws Exception {
        double relative = distance(ADAM, "mean");
        assertTrue(relative <= TOLERANCE, "Adam: max difference / max parameter = " + relative);
    }

    /** A model exported from PyTorch: examples/torchscript/mnist_mlp.pt (its 235,146 parameters), with SGD. */
    @Test
    void twoRanksEqualOneProcessOnATorchScriptModel() throws Exception {
        String model = "{ type = torchscript, file = \"" + SparkCli.repo().resolve("examples/torchscript/mnist_mlp.pt") + "\" }";
        double relative = distance(SGD, "mean", model);
        assertTrue(relative <= TOLERANCE, "TorchScript, SGD: max difference / max parameter = " + relative);
    }

    /**
     * A model with BatchNorm: each rank updates its running statistics from its own batches, and
     * after every iteration every rank takes rank 0's (as PyTorch's DistributedDataParallel does),
     * so the ranks end in the same state (the run's own check: before, it ended with "different
     * weights" and exit status 1) and rank 0's checkpoint holds statistics that moved.
     */
    @Test
    void aModelWithBatchNormEndsInTheSameStateOnEveryRank() throws Exception {
        Weights two = Weights.of(trainOnSpark(SGD, BATCH_NORM, dir.resolve("two-batch-norm"), "mean"));
        float[] mean = two.get("model.1.running_mean");
        float[] variance = two.get("model.1.running_var");
        assertEquals(4, mean.length);
        for (int c = 0; c < 4; c++) {
            assertTrue(mean[c] != 0f && variance[c] != 1f, "channel " + c + "'s statistics moved: " + mean[c] + ", " + variance[c]);
        }
    }

    /**
     * {@code dist.split-val} (the default): each rank validates its half of 501 val images (5
     * batches of 50, the last with the odd image) and the ranks add their sums, so the val phase and
     * the {@code eval} hook report what every rank validating all 501 reports (11 batches each):
     * the same accuracy to the bit, the loss within 1e-6 (other sums of the same per-sample losses),
     * and the weights are the same to the bit.
     */
    @Test
    void ranksThatSplitTheValDataReportTheWholeValSet() throws Exception {
        Path config = SparkCli.write(dir, "val.conf", """
                runner { type = epoch, max-epochs = 2 }
                workflow = [[train, 1], [val, 1]]
                seed = 11
                work-dir = "unused"
                model %s
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 32, shuffle = true, limit = 1024 }
                  val { type = mnist-idx, root = "%2$s", split = t10k, batch-size = 50, limit = 501 }
                }
                optimizer %s
                hooks = [
                  { type = eval, interval = 1 }
                  { type = json-logger, interval = 4 }
                  { type = checkpoint, interval = 1 }
                ]
                """.formatted(MLP, SparkCli.mnistRoot(), SGD));
        Map<Boolean, SparkCli.Result> runs = new HashMap<>();
        Map<Boolean, List<String>> valLines = new HashMap<>();
        for (boolean split : new boolean[] {true, false}) {
            Path work = dir.resolve("val-" + split);
            SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", config.toString(), "--work-dir", work.toString(),
                    "--set", "dist.type=spark", "--set", "dist.workers=2", "--set", "dist.master=\"local[2]\"",
                    "--set", "dist.split-val=" + split);
            assertEquals(0, r.exit(), r.all());
            runs.put(split, r);
            try (var files = Files.list(work)) {
                Path json = files.filter(f -> f.toString().endsWith(".log.json")).findFirst().orElseThrow();
                valLines.put(split, Files.readAllLines(json).stream().filter(l -> l.contains("\"mode\":\"val\"")).toList());
            }
        }
        assertTrue(runs.get(true).all().contains("Val: each rank validates 1/2 of data.val"), runs.get(true).all());
        assertTrue(runs.get(false).all().contains("Val: every rank validates all of data.val: dist.split-val = false"),
                runs.get(false).all());
        assertEquals(weightsLine(runs.get(false)), weightsLine(runs.get(true)), "the val data does not change training");
        List<String> split = valLines.get(true);
        List<String> whole = valLines.get(false);
        assertEquals(4, split.size(), "the eval hook's and the val epoch's line of each epoch: " + split);
        assertEquals(whole.size(), split.size());
        for (int i = 0; i < split.size(); i++) {
            assertEquals(5, (int) number(split.get(i), "iter"), "each rank's val epoch is 5 batches: " + split.get(i));
            assertEquals(11, (int) number(whole.get(i), "iter"), whole.get(i));
            assertEquals(number(whole.get(i), "accuracy"), number(split.get(i), "accuracy"), split.get(i));
            double loss = number(whole.get(i), "loss");
            assertEquals(loss, number(split.get(i), "loss"), 1e-6 * loss, split.get(i));
        }
        // the checkpoint records rank 0's config, whose data.val is its shard: stride test still reads all 501 images
        Path out = dir.resolve("test-of-split");
        SparkCli.Result test = SparkCli.run(dir, Map.of(), "test", dir.resolve("val-true/epoch_2.safetensors").toString(),
                "--out", out.toString());
        assertEquals(0, test.exit(), test.all());
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertEquals(number(split.get(split.size() - 1), "accuracy"), number(metrics, "accuracy"), metrics);
        int samples = Files.readAllLines(out.resolve("per_class.csv")).stream().skip(1)
                .mapToInt(l -> Integer.parseInt(l.split(",")[1])).sum();
        assertEquals(501, samples, "stride test of a split run's checkpoint reads the whole val set");
    }

    private static String weightsLine(SparkCli.Result r) {
        return r.all().lines().filter(l -> l.contains("every rank holds the same weights")).findFirst()
                .map(l -> l.substring(l.indexOf("sha256"))).orElseThrow(() -> new AssertionError(r.all()));
    }

    private static double number(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void summedInsteadOfAveragedGradientsFailTheSameCheck() throws Exception {
        double relative = distance(SGD, "sum");
        assertTrue(relative > TOLERANCE, "negative control: reduce = sum should not match; got " + relative);
    }

    /** The largest parameter difference between the 2-rank and the 1-process run, over the largest parameter. */
    private double distance(String optimizer, String reduce) throws Exception {
        return distance(optimizer, reduce, MLP);
    }

    private double distance(String optimizer, String reduce, String model) throws Exception {
        String key = optimizer + model;
        Weights one = singleProcess.computeIfAbsent(key, o -> train(optimizer, model, "one", 64));
        Path work = dir.resolve("two-" + Math.abs(key.hashCode()) + "-" + reduce);
        Weights two = Weights.of(trainOnSpark(optimizer, model, work, reduce));
        double relative = two.maxDiff(one) / one.maxAbs();
        System.out.printf("%s, reduce = %s: max |difference| %.3g, max |parameter| %.3g, ratio %.3g over %d parameters%n",
                optimizer, reduce, two.maxDiff(one), one.maxAbs(), relative, one.count());
        return relative;
    }

    private Weights train(String optimizer, String model, String name, int batch) {
        try {
            Path work = dir.resolve(name + "-" + Math.abs((optimizer + model).hashCode()));
            Path config = SparkCli.write(dir, "job.conf", config(optimizer, model));
            SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", config.toString(), "--work-dir", work.toString(),
                    "--set", "data.train.batch-size=" + batch);
            assertEquals(0, r.exit(), r.all());
            return Weights.of(work.resolve("iter_24.safetensors"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Path trainOnSpark(String optimizer, String model, Path work, String reduce) throws Exception {
        Path config = SparkCli.write(dir, "job.conf", config(optimizer, model));
        SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", config.toString(), "--work-dir", work.toString(),
                "--set", "data.train.batch-size=32", "--set", "dist.type=spark", "--set", "dist.workers=2",
                "--set", "dist.master=\"local[2]\"", "--set", "dist.reduce=" + reduce);
        assertEquals(0, r.exit(), r.all());
        r.all().lines().filter(l -> l.contains("allreduces of") || l.contains("Done:")).forEach(System.out::println);
        assertTrue(r.all().contains("every rank holds the same weights"), r.all());
        Path last = work.resolve("iter_24.safetensors");
        assertTrue(Files.exists(last), "rank 0 wrote no final checkpoint: " + r.all());
        return last;
    }

    private static final String MLP = "{ type = mlp, hidden = [32] }";
    private static final String BATCH_NORM = "{ type = sequential, layers = [{ type = conv2d, filters = 4, kernel = 3 },"
            + " { type = batch-norm }, { type = relu }, { type = max-pool, kernel = 2 }, { type = flatten }, { type = linear }] }";

    /** 24 iterations of {@code model} on 1024 MNIST images: the global batch of 64 crosses an epoch boundary at 16. */
    private static String config(String optimizer, String model) {
        return """
                runner { type = iter, max-iters = 24 }
                workflow = [[train, 1]]
                seed = 11
                work-dir = "unused"
                model %s
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 64, shuffle = true, limit = 1024 }
                }
                optimizer %s
                hooks = [
                  { type = checkpoint, interval = 8, by-epoch = false }
                  { type = json-logger, interval = 4 }
                ]
                """.formatted(model, SparkCli.mnistRoot(), optimizer);
    }
}
