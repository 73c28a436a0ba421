package dev.stride.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of {@code ./stride list} and from starting {@code ./stride train} to its first
 * iteration (the first text-logger line, interval 1), median of several runs, the distribution
 * already built.
 *
 * <p>Usage: {@code StartupBench <repo root> <runs>}
 */
public final class StartupBench {
    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        double[] list = new double[runs];
        double[] first = new double[runs];
        for (int i = -1; i < runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("./stride", "list").directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(60, TimeUnit.SECONDS);
            double l = (System.nanoTime() - t0) / 1e9;
            Path work = Files.createTempDirectory("stride-startup");
            t0 = System.nanoTime();
            Process t = new ProcessBuilder("./stride", "train", "examples/mnist/mlp_epoch.conf", "--work-dir", work.toString(),
                    "--set", "hooks=[{type=text-logger,interval=1}]", "--set", "runner.max-epochs=1")
                    .directory(repo.toFile()).redirectErrorStream(true).start();
            double f = Double.NaN;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(t.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.contains("Epoch [1][1/")) {
                        f = (System.nanoTime() - t0) / 1e9;
                        t.destroy();
                        break;
                    }
                }
            }
            t.waitFor(60, TimeUnit.SECONDS);
            if (i >= 0) {
                list[i] = l;
                first[i] = f;
            }
        }
        Figures.print("startup.stride_list_s", Figures.median(list), "s");
        Figures.print("startup.stride_list_rounds_s", Figures.rounds(list));
        Figures.print("startup.first_iteration_s", Figures.median(first), "s");
        Figures.print("startup.first_iteration_rounds_s", Figures.rounds(first));
    }

    private StartupBench() {}
}
