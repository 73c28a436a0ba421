package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Command-line mistakes not covered by ConfigErrorsIT: a read-only work dir (found before
 * training starts), an option given twice, {@code --resume} naming a missing file. Each ends with
 * exit 2, a message saying what to do, no stack trace, and no file written into the work dir.
 */
class CliMistakesTest {
    @TempDir
    Path tmp;

    private static void assertUserError(InProcess.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat "), "no stack trace for a user mistake:\n" + r.all());
        assertFalse(r.out().contains("Training mlp"), "training must not start:\n" + r.out());
    }

    private Path config(Path work) throws IOException {
        return Jobs.write(tmp, "job.conf", Jobs.job(work, "type = synthetic", ""));
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".", "sub/folder"})
    void aReadOnlyWorkDirIsReportedBeforeTrainingStarts(String below) throws Exception {
        Path readOnly = readOnlyFolder();
        try {
            Path work = readOnly.resolve(below).normalize();
            InProcess.Result r = InProcess.stride("train", config(work).toString());
            assertUserError(r, "the work dir " + work + " cannot be written", "choose another with --work-dir DIR");
        } finally {
            release(readOnly);
        }
    }

    @ParameterizedTest(name = "{0} twice")
    @ValueSource(strings = {"--work-dir", "--resume", "--seed"})
    void anOptionGivenTwiceIsRefusedNamingIt(String option) throws Exception {
        Path work = tmp.resolve("work");
        String[] values = option.equals("--seed") ? new String[] {"1", "2"} : option.equals("--resume")
                ? new String[] {"auto", tmp.resolve("x.safetensors").toString()} : new String[] {"a", "b"};
        InProcess.Result r = InProcess.stride("train", config(work).toString(), option, values[0], option, values[1]);
        assertUserError(r, option, "should be specified only once", "stride train --help");
        assertEquals(List.of(), filesIn(work));
    }

    @Test
    void resumeFromAMissingFileNamesIt() throws Exception {
        Path work = tmp.resolve("work");
        Path missing = tmp.resolve("epoch_9.safetensors");
        InProcess.Result r = InProcess.stride("train", config(work).toString(), "--resume", missing.toString());
        assertUserError(r, missing.toString(), "does not exist");
        assertEquals(List.of(), filesIn(work), "nothing written into the work dir");
    }

    // ---- a folder nobody may write into, root included

    private Path readOnlyFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!writable(dir)) {
            return dir;
        }
        // root ignores permissions: a read-only mount stops it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "ro,size=16k", "tmpfs", dir.toString()) == 0,
                "permissions are ignored here (root) and a read-only tmpfs cannot be mounted");
        assertFalse(writable(dir), "the read-only mount is writable");
        return dir;
    }

    private static void release(Path dir) throws Exception {
        run("umount", dir.toString()); // fails harmlessly when nothing is mounted
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean writable(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException notInstalled) {
            return -1;
        }
    }

    @Test
    void withoutACommandTheUsageIsShownAndTheExitIs2() {
        InProcess.Result r = InProcess.stride();
        assertUserError(r, "Usage: stride", "no command given");
        for (String command : List.of("train", "test", "list", "inspect", "sweep")) {
            assertTrue(r.err().contains("\n  " + command + " "), command + " is listed:\n" + r.err());
        }
    }

    @Test
    void aMistypedCommandGetsADidYouMean() {
        assertUserError(InProcess.stride("trian", "job.conf"), "unknown command 'trian' (did you mean 'train'?)",
                "the commands are train, test, predict, list, inspect, sweep");
        assertUserError(InProcess.stride("inpsect"), "did you mean 'inspect'?");
    }

    @Test
    void helpListsSweepWithWhereItRuns() {
        InProcess.Result r = InProcess.stride("--help");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("sweep    Train once per combination of --grid values on Apache Spark"), r.out());
        assertUserError(InProcess.stride("sweep", "job.conf"), "stride sweep runs on Apache Spark", "./stride sweep");
    }
}
