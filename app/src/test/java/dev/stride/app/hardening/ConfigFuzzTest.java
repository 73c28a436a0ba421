package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.IntRange;

/**
 * Mutates a valid config 1,000+ times (wrong types, unknown and missing keys, zero, negative and
 * huge counts, empty workflows, unknown modes, unicode, broken HOCON): every case ends with exit 2
 * and a message naming file:line and key, or is valid (and small valid ones train for real); never
 * exit 1, never a stack trace, never a file in the work dir before the config is valid.
 */
class ConfigFuzzTest {
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final AtomicInteger TRAINED = new AtomicInteger();
    private static final String[] KEYS_TO_ADD = {"sede", "max-epoch", "intervl", "lr2", "typ", "hiden", "ñandú", "日本"};
    private static final Object[] WRONG_VALUES = {"abc", 7, -1, 0, 1e15, 123456789012L, true, List.of(), Map.of(), "ñ日本語🙂",
            "x".repeat(300), List.of("train", 1), -0.5, 2147483648L, "${undefined}", Map.of("type", "nope")};

    private static Map<String, Object> base(Path work) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("runner", new LinkedHashMap<>(Map.of("type", "epoch", "max-epochs", 1)));
        c.put("workflow", new ArrayList<>(List.of(new ArrayList<>(List.of("train", 1)), new ArrayList<>(List.of("val", 1)))));
        c.put("seed", 3);
        c.put("work-dir", work.toString());
        c.put("model", new LinkedHashMap<>(Map.of("type", "mlp", "hidden", new ArrayList<>(List.of(8)))));
        Map<String, Object> train = new LinkedHashMap<>(Map.of("type", "synthetic", "size", 64, "shape", new ArrayList<>(List.of(4)),
                "num-classes", 3, "batch-size", 16));
        Map<String, Object> val = new LinkedHashMap<>(Map.of("type", "synthetic", "size", 32, "shape", new ArrayList<>(List.of(4)),
                "num-classes", 3, "batch-size", 16));
        c.put("data", new LinkedHashMap<>(Map.of("train", train, "val", val)));
        c.put("optimizer", new LinkedHashMap<>(Map.of("type", "sgd", "lr", 0.1, "momentum", 0.9)));
        List<Object> hooks = new ArrayList<>();
        hooks.add(new LinkedHashMap<>(Map.of("type", "checkpoint", "interval", 1)));
        hooks.add(new LinkedHashMap<>(Map.of("type", "json-logger", "interval", 2)));
        hooks.add(new LinkedHashMap<>(Map.of("type", "lr-schedule", "policy", "step", "step", new ArrayList<>(List.of(1)))));
        c.put("hooks", hooks);
        return c;
    }

    /** Every (container, key-or-index) in the tree, to pick a mutation target from. */
    private static void targets(Object node, List<Object[]> out) {
        if (node instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                out.add(new Object[] {m, k});
                targets(m.get(k), out);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(new Object[] {l, i});
                targets(l.get(i), out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mutate(Map<String, Object> config, Random rnd) {
        List<Object[]> all = new ArrayList<>();
        targets(config, all);
        Object[] t = all.get(rnd.nextInt(all.size()));
        int kind = rnd.nextInt(5);
        if (t[0] instanceof Map<?, ?> m0) {
            Map<Object, Object> m = (Map<Object, Object>) m0;
            switch (kind) {
                case 0 -> m.remove(t[1]);
                case 1 -> m.put(KEYS_TO_ADD[rnd.nextInt(KEYS_TO_ADD.length)], wrong(rnd));
                default -> m.put(t[1], wrong(rnd));
            }
        } else {
            List<Object> l = (List<Object>) t[0];
            int i = (Integer) t[1];
            switch (kind) {
                case 0 -> l.remove(i);
                case 1 -> l.clear();
                default -> l.set(i, wrong(rnd));
            }
        }
    }

    /** A mutable copy of a random wrong value. */
    private static Object wrong(Random rnd) {
        return mutableCopy(WRONG_VALUES[rnd.nextInt(WRONG_VALUES.length)]);
    }

    private static Object mutableCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            m.forEach((k, x) -> c.put(k, mutableCopy(x)));
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(mutableCopy(x)));
            return c;
        }
        return v;
    }

    private static String render(Map<String, Object> config) {
        return ConfigValueFactory.fromMap(config).render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    }

    private static String breakText(String text, Random rnd) {
        int at = rnd.nextInt(text.length());
        return switch (rnd.nextInt(3)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + "{[" + text.substring(at);
            default -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + rnd.nextInt(8)));
        };
    }

    @Property(tries = 1000, seed = "20261125")
    void everyMutatedConfigIsRejectedClearlyOrRuns(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int mutations)
            throws IOException {
        Path dir = Files.createTempDirectory("fuzz");
        Path work = dir.resolve("work");
        Random rnd = new Random(seed);
        Map<String, Object> config = base(work);
        for (int i = 0; i < mutations; i++) {
            mutate(config, rnd);
        }
        String text = render(config);
        if (rnd.nextInt(8) == 0) {
            text = breakText(text, rnd);
        }
        Path file = dir.resolve("job.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        CASES.incrementAndGet();

        InProcess.Result dry = InProcess.stride("train", file.toString(), "--dry-run");
        String all = dry.out() + dry.err();
        assertFalse(all.contains("\tat "), "no stack trace:\n" + text + "\n" + all);
        assertTrue(dry.exit() == 0 || dry.exit() == 2, "exit " + dry.exit() + " for\n" + text + "\n" + all);
        assertFalse(Files.exists(work), "a dry run writes nothing");
        if (dry.exit() == 2) {
            REJECTED.incrementAndGet();
            assertTrue(dry.err().contains("job.conf:") || dry.err().contains("job.conf "), "names the file:\n" + text + "\n" + dry.err());
            return;
        }
        if (small(file, work)) {
            InProcess.Result run = InProcess.stride("train", file.toString());
            assertEquals(0, run.exit(), "a valid config trains:\n" + text + "\n" + run.out() + run.err());
            TRAINED.incrementAndGet();
        }
    }

    /** A valid config short enough to train here (few epochs, few samples) that writes into our temp work dir. */
    private static boolean small(Path file, Path work) {
        Config c = ConfigFactory.parseFile(file.toFile()).resolve();
        if (!c.hasPath("work-dir") || !c.getString("work-dir").equals(work.toString())) {
            return false;
        }
        long epochs = c.hasPath("runner.max-epochs") ? c.getLong("runner.max-epochs") : 1;
        long iters = c.hasPath("runner.max-iters") ? c.getLong("runner.max-iters") : 0;
        boolean smallData = !c.hasPath("data.train.size") || c.getLong("data.train.size") <= 10_000;
        boolean smallVal = !c.hasPath("data.val.size") || c.getLong("data.val.size") <= 10_000;
        return epochs <= 5 && iters <= 200 && smallData && smallVal;
    }

    @AfterContainer
    static void report() {
        System.out.printf("ConfigFuzzTest: %d cases, %d rejected with exit 2, %d valid ones trained, 0 failures%n",
                CASES.get(), REJECTED.get(), TRAINED.get());
    }
}
