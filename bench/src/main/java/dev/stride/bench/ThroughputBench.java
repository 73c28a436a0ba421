package dev.stride.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.launcher.Stride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * End-to-end training throughput on MNIST-10k (8,000 images, batch 64, SGD lr 0.1 momentum 0.9,
 * one epoch per measurement), in interleaved rounds A B C D A B C D ...: Stride's epoch runner
 * with its default hooks and both loggers, Stride's iter runner, a hand-written DJL loop
 * (GradientCollector, trainer.step(), nothing else) and DJL's EasyTrain.fit. Same model, data,
 * batch size, seed and threads; prints samples/s medians and their ratios.
 *
 * <p>Usage: {@code ThroughputBench <data root> <mlp|lenet> <rounds>}
 */
public final class ThroughputBench {
    private static final int BATCH = 64;
    private static final Stride STRIDE = Stride.load();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String model = args[1];
        int rounds = Integer.parseInt(args[2]);
        Path tmp = Files.createTempDirectory("stride-bench");
        int prefetch = Integer.getInteger("stride.prefetch", 2);
        DataLoader train = STRIDE.dataset("mnist-idx", Map.of("root", root.toString(), "split", "train", "batch-size", BATCH,
                "shuffle", true, "prefetch", prefetch), Mode.TRAIN, 1);
        ArrayDataset djlData = djlDataset(root);
        String[] names = {"stride_epoch", "stride_iter", "djl_hand_loop", "djl_easytrain"};
        String only = System.getProperty("stride.variants", "0123");
        double[][] rates = new double[names.length][rounds];
        double[][] cpu = new double[names.length][rounds];
        // one warm-up round of each, not counted
        for (int r = -1; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                if (only.indexOf((char) ('0' + v)) < 0) {
                    continue;
                }
                long cpu0 = processCpuNanos();
                double rate = switch (v) {
                    case 0 -> stride(model, train, "epoch", tmp);
                    case 1 -> stride(model, train, "iter", tmp);
                    case 2 -> djl(model, djlData, false);
                    default -> djl(model, djlData, true);
                };
                double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
                if (r >= 0) {
                    rates[v][r] = rate;
                    cpu[v][r] = 8000 / cpuSeconds;
                }
            }
        }
        double[] median = new double[names.length];
        for (int v = 0; v < names.length; v++) {
            if (only.indexOf((char) ('0' + v)) < 0) {
                continue;
            }
            median[v] = Figures.median(rates[v]);
            Figures.print(model + "." + names[v] + ".samples_per_s", median[v], "");
            Figures.print(model + "." + names[v] + ".rounds", Figures.rounds(rates[v]));
            Figures.print(model + "." + names[v] + ".samples_per_cpu_s", Figures.median(cpu[v]), "");
        }
        Figures.print(model + ".ratio.stride_epoch_vs_hand_loop", median[0] / median[2], "");
        Figures.print(model + ".ratio.stride_iter_vs_hand_loop", median[1] / median[2], "");
        Figures.print(model + ".ratio.stride_epoch_vs_easytrain", median[0] / median[3], "");
        Figures.print(model + ".ratio.stride_iter_vs_easytrain", median[1] / median[3], "");
    }

    /** CPU time of the whole process (all threads: PyTorch's, the prefetch thread, GC). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One epoch (125 iterations) with Stride: default hooks (optimizer, iter-timer) plus text and JSON loggers. */
    static double stride(String model, DataLoader train, String runnerType, Path tmp) throws Exception {
        Path work = Files.createTempDirectory(tmp, runnerType);
        Map<String, Object> options = model.equals("mlp") ? Map.of("hidden", List.of(256, 128)) : Map.of();
        dev.stride.runner.api.Model m = STRIDE.model(model, options, train.spec(), 42);
        dev.stride.runner.api.Optimizer sgd = STRIDE.optimizer("sgd", Map.of("lr", 0.1, "momentum", 0.9), m);
        Map<String, Object> runnerOptions = runnerType.equals("epoch") ? Map.of("max-epochs", 1)
                : Map.of("max-iters", train.batchesPerEpoch());
        Runner runner = STRIDE.runner(runnerType, runnerOptions, m, sgd, work, 42);
        for (String hook : List.of("optimizer", "iter-timer", "text-logger", "json-logger")) {
            runner.registerHook(STRIDE.hook(hook, hook.endsWith("logger") ? Map.of("interval", 50) : Map.of()),
                    STRIDE.priority(hook));
        }
        long t0 = System.nanoTime();
        runner.run(Map.of(Mode.TRAIN, train), Workflow.of(new Phase(Mode.TRAIN, runnerType.equals("epoch") ? 1 : train.batchesPerEpoch())));
        double seconds = (System.nanoTime() - t0) / 1e9;
        m.close();
        return train.samples() / seconds;
    }

    /** The same data as a DJL ArrayDataset (shuffled by DJL's RandomSampler). */
    static ArrayDataset djlDataset(Path root) {
        DataLoader all = STRIDE.dataset("mnist-idx", Map.of("root", root.toString(), "split", "train", "batch-size", 8000,
                "prefetch", 0), Mode.TRAIN, 1);
        NDManager manager = NDManager.newBaseManager();
        try (BatchStream s = all.open(0, 0); dev.stride.runner.api.Batch b = s.next()) {
            DjlBatch batch = (DjlBatch) b;
            NDArray x = batch.x().duplicate();
            NDArray y = batch.y().duplicate();
            x.attach(manager);
            y.attach(manager);
            return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(BATCH, true).build();
        }
    }

    static Block block(String model) {
        SequentialBlock net = new SequentialBlock();
        if (model.equals("mlp")) {
            net.add(Blocks.batchFlattenBlock(784)).add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock()).add(Linear.builder().setUnits(10).build());
        } else {
            net.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(6).build())
                    .add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                    .add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(120).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(84).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
        }
        return net;
    }

    /** One epoch with DJL: a hand-written loop (the limit), or EasyTrain.fit with an accuracy evaluator. */
    static double djl(String model, ArrayDataset data, boolean easyTrain) throws Exception {
        try (Model m = Model.newInstance("bench")) {
            m.setBlock(block(model));
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd);
            if (easyTrain) {
                config.addEvaluator(new Accuracy()).addTrainingListeners(TrainingListener.Defaults.basic());
            }
            try (Trainer trainer = m.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                long t0 = System.nanoTime();
                if (easyTrain) {
                    EasyTrain.fit(trainer, 1, data, null);
                } else {
                    for (Batch batch : trainer.iterateDataset(data)) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList preds = trainer.forward(batch.getData(), batch.getLabels());
                            gc.backward(trainer.getLoss().evaluate(batch.getLabels(), preds));
                        }
                        trainer.step();
                        batch.close();
                    }
                }
                return data.size() / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private ThroughputBench() {}
}
