package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.app.it.StrideCli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin folders are only those the user named (and the distribution's own plugins/): a jar
 * lying in a plugins folder of the working directory, beside the config or in the work dir is not
 * loaded. The jar declares a provider class it does not contain, so loading it would fail loudly;
 * naming its folder with --plugins shows that it does.
 */
class PluginFoldersIT {
    @TempDir
    Path tmp;

    /** A jar whose META-INF/services names a hook provider class that is not in it. */
    private static void plantJar(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream f = Files.newOutputStream(dir.resolve("planted.jar")); JarOutputStream jar = new JarOutputStream(f)) {
            jar.putNextEntry(new JarEntry("META-INF/services/dev.stride.runner.api.spi.HookProvider"));
            jar.write("com.example.planted.PlantedHookProvider\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void jarsInFoldersNobodyNamedAreNotLoaded() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.job(work, "type = synthetic", ""));
        plantJar(tmp.resolve("plugins")); // the working directory's and the config's folder
        plantJar(work.resolve("plugins"));

        StrideCli.Result ignored = StrideCli.run(tmp, "train", cfg.toString(), "--dry-run");
        assertEquals(0, ignored.exit(), ignored.all());
        assertFalse(ignored.all().contains("planted"), "a jar nobody named was looked at:\n" + ignored.all());
        StrideCli.Result list = StrideCli.run(tmp, "list");
        assertEquals(0, list.exit(), list.all());
        assertFalse(list.all().contains("planted"), list.all());

        StrideCli.Result named = StrideCli.run(tmp, "train", cfg.toString(), "--dry-run", "--plugins", tmp.resolve("plugins").toString());
        assertEquals(2, named.exit(), "the planted jar is loaded once its folder is named:\n" + named.all());
        assertTrue(named.err().contains("planted.jar"), named.err());
    }

    /** plugins = ["dir"] in a config is relative to that config file, as an include is, not to the working directory. */
    @Test
    void aPluginsFolderOfTheConfigIsRelativeToTheConfigFile() throws Exception {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        Path cfg = Jobs.write(configs, "job.conf", Jobs.job(tmp.resolve("work"), "type = synthetic", "")
                + "plugins = [\"my-plugins\"]\n");
        plantJar(configs.resolve("my-plugins"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));

        StrideCli.Result r = StrideCli.run(elsewhere, "train", cfg.toString(), "--dry-run");
        assertEquals(2, r.exit(), "the jar beside the config is loaded, from any working directory:\n" + r.all());
        assertTrue(r.err().contains(configs.resolve("my-plugins").resolve("planted.jar").toString()), r.err());
    }
}
