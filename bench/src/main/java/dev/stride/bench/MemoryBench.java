package dev.stride.bench;

import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.launcher.Stride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Memory over a 20-epoch run (MLP on MNIST-10k, train and val every epoch, default hooks, loggers,
 * a checkpoint every epoch): process RSS and live native tensors at each epoch end; growth from
 * epoch 2 to epoch 20.
 *
 * <p>Usage: {@code MemoryBench <data root> <epochs>}
 */
public final class MemoryBench {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        Stride stride = Stride.load();
        Path work = Files.createTempDirectory("stride-memory");
        DataLoader train = stride.dataset("mnist-idx", Map.of("root", root.toString(), "split", "train", "batch-size", 64,
                "shuffle", true), Mode.TRAIN, 1);
        DataLoader val = stride.dataset("mnist-idx", Map.of("root", root.toString(), "split", "t10k", "batch-size", 500),
                Mode.VAL, 1);
        Model model = stride.model("mlp", Map.of("hidden", List.of(256, 128)), train.spec(), 1);
        Optimizer sgd = stride.optimizer("sgd", Map.of("lr", 0.05, "momentum", 0.9), model);
        Runner runner = stride.runner("epoch", Map.of("max-epochs", epochs), model, sgd, work, 1);
        for (String hook : List.of("optimizer", "iter-timer", "text-logger", "json-logger", "checkpoint")) {
            runner.registerHook(stride.hook(hook, hook.endsWith("logger") ? Map.of("interval", 50)
                    : hook.equals("checkpoint") ? Map.of("max-keep", 2) : Map.of()), stride.priority(hook));
        }
        List<long[]> samples = new ArrayList<>();
        runner.registerHook(new Hook() {
            @Override
            public void afterValEpoch(Runner r) {
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long committedKb = rt.totalMemory() / 1024;
                long usedKb = (rt.totalMemory() - rt.freeMemory()) / 1024;
                samples.add(new long[] {r.epoch(), rssKb(), r.model().liveTensors(), committedKb, usedKb});
            }
        }, 100);
        runner.run(Map.of(Mode.TRAIN, train, Mode.VAL, val), Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)));
        for (long[] s : samples) {
            Figures.print("memory.epoch_" + s[0], "rss_mb " + s[1] / 1024 + ", heap_committed_mb " + s[3] / 1024
                    + ", heap_used_after_gc_mb " + s[4] / 1024 + ", rss_outside_heap_mb " + (s[1] - s[3]) / 1024
                    + ", live_tensors " + s[2]);
        }
        long[] second = samples.get(1);
        long[] last = samples.get(samples.size() - 1);
        Figures.print("memory.rss_growth_epoch2_to_last_pct", 100.0 * (last[1] - second[1]) / second[1], "%");
        Figures.print("memory.rss_outside_heap_growth_epoch2_to_last_pct",
                100.0 * ((last[1] - last[3]) - (second[1] - second[3])) / (second[1] - second[3]), "%");
        Figures.print("memory.heap_used_after_gc_growth_epoch2_to_last_pct", 100.0 * (last[4] - second[4]) / second[4], "%");
        Figures.print("memory.live_tensor_growth_epoch2_to_last", last[2] - second[2], "");
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private MemoryBench() {}
}
