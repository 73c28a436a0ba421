package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression through the real command line: train logs MAE, RMSE and R² (never the statistics
 * they come from), keeps the best checkpoint by R², stops early on RMSE; stride test writes the
 * metrics and a predictions table whose RMSE is the logged one; a metric regression does not have
 * is refused, naming those it has. The data comes from a test plugin ({@link FixturePlugin}).
 */
class RegressionIT {
    @TempDir
    Path tmp;

    private static String job(Path work, String hooks) {
        return """
                runner { type = epoch, max-epochs = 30 }
                workflow = [[train, 1], [val, 1]]
                seed = 3
                work-dir = "%s"
                model { type = mlp, hidden = [16] }
                data {
                  train { type = linear-regression, size = 320, seed = 1 }
                  val { type = linear-regression, size = 90, seed = 2, batch-size = 40 }
                  test { type = linear-regression, size = 70, seed = 4, batch-size = 25 }
                }
                optimizer { type = adam, lr = 0.01 }
                hooks = [
                  %s
                  { type = json-logger, interval = 5 }
                ]
                """.formatted(work, hooks);
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainEvaluateAndTestARegression() throws Exception {
        Path plugins = FixturePlugin.folder(tmp);
        Path work = tmp.resolve("work");
        Path cfg = Configs.write(tmp, "reg.conf", job(work, """
                { type = checkpoint, interval = 1, max-keep = 1, save-best = r2 }
                  { type = early-stopping, monitor = rmse, patience = 2, min-delta = 0.005 }
                  { type = text-logger, interval = 5 }"""));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString(), "--plugins", plugins.toString());
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> val = Configs.jsonLog(work).stream().filter(l -> "val".equals(l.get("mode"))).toList();
        Map<String, Object> last = val.get(val.size() - 1);
        assertTrue(last.keySet().containsAll(List.of("loss", "mae", "rmse", "r2")), last.toString());
        assertFalse(last.containsKey("mse") || last.keySet().stream().anyMatch(k -> k.startsWith("r2.")), last.toString());
        assertTrue(r.out().contains("mae: ") && r.out().contains("rmse: ") && r.out().contains("r2: "), r.out());
        assertTrue((Double) last.get("r2") > 0.9, last.toString());
        Path best;
        try (var files = Files.list(work)) {
            best = files.filter(f -> f.getFileName().toString().startsWith("best_r2_epoch_")).findFirst().orElseThrow();
        }
        System.out.printf("RegressionIT: %d val epochs, last %s, %s%n", val.size(), last, best.getFileName());

        Path out = tmp.resolve("test");
        StrideCli.Result t = StrideCli.run(tmp, "test", cfg.toString(), "--checkpoint", best.toString(), "--out", out.toString(),
                "--plugins", plugins.toString());
        assertEquals(0, t.exit(), t.all());
        Map<String, Object> metrics = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                Files.readString(out.resolve("metrics.json")))).get("metrics");
        assertEquals(List.of("loss", "mae", "rmse", "r2"), List.copyOf(metrics.keySet()));
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals("true,predicted", rows.get(0));
        assertEquals(71, rows.size(), "one row per test sample");
        double se = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            double d = Double.parseDouble(c[0]) - Double.parseDouble(c[1]);
            se += d * d;
        }
        double rmse = (Double) metrics.get("rmse");
        assertEquals(Math.sqrt(se / 70), rmse, 1e-6 * rmse, "the table's RMSE is the reported one");
        assertFalse(Files.exists(out.resolve("confusion_matrix.csv")), "no confusion matrix for regression");
    }

    @Test
    void aMetricRegressionDoesNotHaveIsRefusedNamingThoseItHas() throws Exception {
        Path plugins = FixturePlugin.folder(tmp);
        Path work = tmp.resolve("acc");
        Path cfg = Configs.write(tmp, "acc.conf", job(work, "{ type = eval, save-best = accuracy }")
                .replace("max-epochs = 30", "max-epochs = 2"));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString(), "--plugins", plugins.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("save-best = accuracy: the val results have no metric 'accuracy'; they have loss, mae,"
                + " rmse, r2"), r.err());
        assertFalse(r.all().contains("\tat "), r.all());
    }
}
