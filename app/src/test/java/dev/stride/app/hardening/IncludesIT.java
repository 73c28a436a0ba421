package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stride.app.it.StrideCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 3 and 5: includes resolve against the including file, whatever form the config's
 * path takes; a missing, special, huge or cyclic include, a url include, and nesting 10,000 levels
 * deep end at once with exit 2 naming the file and line. Real {@code stride} processes.
 */
class IncludesIT {
    @TempDir
    Path tmp;

    /** The job without its hooks, and common.conf with them: a dropped include trains without checkpoints. */
    private Path layout() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.createDirectories(conf.resolve("sub"));
        String job = Jobs.synthetic(tmp.resolve("work"), 1, "");
        String noHooks = job.substring(0, job.indexOf("hooks = ["));
        Jobs.write(conf, "common.conf", "hooks = [{ type = checkpoint, interval = 1 }]\n");
        Jobs.write(conf, "inc.conf", "include \"common.conf\"\n" + noHooks);
        Jobs.write(conf, "inc-file.conf", "include file(\"common.conf\")\n" + noHooks);
        Jobs.write(conf, "inc-required.conf", "include required(file(\"common\"))\n" + noHooks);
        return conf;
    }

    @Test
    void includesResolveAgainstTheIncludingFileWhateverFormItsPathTakes() throws Exception {
        Path conf = layout();
        Path work = tmp.resolve("work");
        // the case: a bare file name, run from its folder, trained without the included hooks and wrote nothing
        StrideCli.Result bare = StrideCli.run(conf, "train", "inc.conf");
        assertEquals(0, bare.exit(), bare.all());
        assertTrue(Files.exists(work.resolve("epoch_1.safetensors")), "the included checkpoint hook ran");

        Map<String, StrideCli.Result> dry = new LinkedHashMap<>();
        dry.put("./inc.conf", StrideCli.run(conf, "train", "./inc.conf", "--dry-run"));
        dry.put("../inc-file.conf from sub/", StrideCli.run(conf.resolve("sub"), "train", "../inc-file.conf", "--dry-run"));
        dry.put("conf/inc-required.conf", StrideCli.run(tmp, "train", "conf/inc-required.conf", "--dry-run"));
        dry.forEach((how, r) -> {
            assertEquals(0, r.exit(), how + ":\n" + r.all());
            // checkpoint + the defaults optimizer, iter-timer and invalid-loss
            assertTrue(r.out().contains("4 hooks"), how + ": the included hook is there:\n" + r.out());
        });

        // the second case: cd examples/mnist && ../../stride train mlp_epoch.conf said "data: missing"
        Path mnist = StrideCli.repo().resolve("data/mnist-10k");
        StrideCli.Result example = StrideCli.run(StrideCli.repo().resolve("examples/mnist"), "train", "mlp_epoch.conf",
                "--dry-run", "--set", "data.train.root=\"" + mnist + "\"", "--set", "data.val.root=\"" + mnist + "\"");
        assertEquals(0, example.exit(), example.all());
    }

    /** Each broken include (and deep nesting) ends at once: exit 2, the file and line, nothing written. */
    @Test
    void aMissingSpecialHugeCyclicOrUrlIncludeAndDeepNestingAreExit2NamingFileAndLine() throws Exception {
        Path conf = layout();
        String body = Files.readString(conf.resolve("inc.conf")).replace("include \"common.conf\"\n", "");
        Jobs.write(conf, "a.conf", "include \"b.conf\"\n");
        Jobs.write(conf, "b.conf", "x = 1\ninclude \"a.conf\"\n");
        Files.write(conf.resolve("huge.conf"), new byte[2 * 1024 * 1024]);
        boolean fifo = new ProcessBuilder("mkfifo", conf.resolve("pipe.conf").toString()).start().waitFor() == 0;

        Map<String, String[]> cases = new LinkedHashMap<>(); // include line -> fragments of the message
        cases.put("include \"nope.conf\"", new String[] {"main.conf:2: include \"nope.conf\": no such file", conf.resolve("nope.conf").toString()});
        cases.put("include required(\"sub/nope\")", new String[] {"main.conf:2: include \"sub/nope\": no such file", ".conf, .json, .properties"});
        cases.put("include \"/dev/zero\"", new String[] {"main.conf:2: include \"/dev/zero\"", "not a regular file"});
        cases.put("include \"sub\"", new String[] {"main.conf:2: include \"sub\"", "is a folder"});
        cases.put("include file(\"huge.conf\")", new String[] {"main.conf:2: include file(\"huge.conf\")", "2097152 bytes"});
        cases.put("include \"a.conf\"", new String[] {"b.conf:2: include \"a.conf\": an include cycle", "a.conf includes"});
        cases.put("include url(\"http://example.com/x.conf\")", new String[] {"main.conf:2: include url(", "no config over the network"});
        if (fifo) {
            cases.put("include \"pipe.conf\"", new String[] {"main.conf:2: include \"pipe.conf\"", "not a regular file (a FIFO"});
        } else {
            System.out.println("IncludesIT: mkfifo is not available here; the FIFO case is skipped");
        }
        cases.put("deep = " + "{a = ".repeat(10_000) + "1" + "}".repeat(10_000),
                new String[] {"main.conf:2: objects and lists are nested more than 64 levels deep"});

        // one file with every broken include on a line of its own: one run reports them all, each with its line
        List<String> lines = new ArrayList<>(cases.keySet());
        Files.writeString(conf.resolve("main.conf"), "# issue 15\n" + String.join("\n", lines) + "\n" + body);
        long start = System.nanoTime();
        StrideCli.Result r = runWithin(conf, 60, "train", "main.conf");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("has " + cases.size() + " problems"), r.err());
        int line = 2;
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            for (String f : c.getValue()) {
                String fragment = f.replace("main.conf:2:", "main.conf:" + line + ":");
                assertTrue(r.err().contains(fragment), "'" + fragment + "' missing for " + abbreviate(c.getKey()) + ":\n" + r.err());
            }
            line++;
        }
        assertFalse(r.all().contains("\tat ") || r.all().contains("StackOverflowError"), r.all());
        assertFalse(Files.exists(tmp.resolve("work")), "nothing written");
        StrideCli.Result deepSet = runWithin(conf, 60, "train", "inc.conf", "--set", "x=" + "[".repeat(10_000) + "]".repeat(10_000));
        assertEquals(2, deepSet.exit(), deepSet.all());
        assertTrue(deepSet.err().contains("--set x=...: its value nests objects and lists more than 64 levels deep"), deepSet.err());
        System.out.println("IncludesIT: " + cases.size() + " broken includes and nestings in one config, all reported in "
                + millis + " ms");
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** Runs the CLI, failing the test when it takes longer than {@code seconds} (a hang on a FIFO or /dev/zero). */
    private static StrideCli.Result runWithin(Path cwd, int seconds, String... args) throws Exception {
        Path out = Files.createTempFile("stride-out", ".txt");
        Path err = Files.createTempFile("stride-err", ".txt");
        try {
            Process p = StrideCli.start(cwd, Map.of(), out, err, args);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("stride " + abbreviate(String.join(" ", args)) + " hung for " + seconds + " s");
            }
            return new StrideCli.Result(p.exitValue(), Processes.read(out), Processes.read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
