package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One faulty plugin jar in a fresh distribution's plugins folder: Stride exits with status 2 and a
 * message that names the jar and says what to do, never a stack trace or a bare
 * ServiceConfigurationError, ResolutionException or FindException.
 */
class PluginErrorsIT {
    @TempDir
    Path tmp;
    Path home;
    Path build;

    @BeforeEach
    void freshDistribution() throws Exception {
        home = Distribution.fresh(tmp);
        build = Files.createDirectories(tmp.resolve("build"));
    }

    @Test
    void twoProvidersWithTheSameNameAreFatalAndBothJarsAreNamed() throws Exception {
        install(FaultyPlugins.plain("duplicate-runner", build, "duplicate-runner-1.0.jar"));
        for (Launch launch : List.of(Launch.MODULE_PATH, Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE)) {
            String m = refused(launch, "list");
            assertTrue(m.contains("two runner providers are named 'epoch'"), m);
            assertTrue(m.contains("runner-epoch-0.2.0.jar"), m);
            assertTrue(m.contains(home.resolve("plugins/duplicate-runner-1.0.jar").toString()), m);
            assertTrue(m.contains("Remove one of the jars, or rename one provider"), m);
        }
        Path config = Jobs.curriculum(tmp, tmp.resolve("work"), "", "");
        String m = refused(Launch.MODULE_PATH, "train", config.toString());
        assertTrue(m.contains("duplicate-runner-1.0.jar"), "train refuses to start the same way: " + m);
    }

    @Test
    void aJarThatDoesNotResolveNamesTheJarAndTheMissingModule() throws Exception {
        Path textUtils = FaultyPlugins.modular("text-utils", build, "text-utils-1.0.jar");
        install(FaultyPlugins.modular("needs-text-utils", build, "slug-hook-1.0.jar", textUtils));
        String m = refused(Launch.MODULE_PATH, "list");
        assertTrue(m.contains("the plugin jar " + home.resolve("plugins/slug-hook-1.0.jar")), m);
        assertTrue(m.contains("(module com.example.broken.needs) requires the module com.example.textutils"), m);
        assertTrue(m.contains("put the jar of com.example.textutils into the plugins folder too"), m);

        install(textUtils);
        Launch.Result fixed = Launch.MODULE_PATH.run(home, tmp, "list");
        assertEquals(0, fixed.exit(), "with its dependency beside it the plugin loads: " + fixed.all());
        assertTrue(fixed.out().contains("slug-hook"), fixed.out());
    }

    @Test
    void aProviderWhoseConstructorThrowsIsNamedWithItsJarAndTheCause() throws Exception {
        install(FaultyPlugins.modular("throwing-hook", build, "licensed-hook-1.0.jar"));
        for (Launch launch : List.of(Launch.MODULE_PATH, Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE)) {
            String m = refused(launch, "list");
            assertTrue(m.contains("the hook provider com.example.broken.throwing.LicensedHookProvider in "
                    + home.resolve("plugins/licensed-hook-1.0.jar") + " failed to instantiate"), m);
            assertTrue(m.contains("the environment variable METRICS_LICENSE_KEY is not set"), m);
            assertTrue(m.contains("a public no-argument constructor that does not throw"), m);
        }
    }

    @Test
    void aProviderWithoutAPublicNoArgumentConstructorIsNamedWithItsJar() throws Exception {
        install(FaultyPlugins.plain("no-arg-constructor-missing", build, "configured-hook-1.0.jar"));
        for (Launch launch : List.of(Launch.MODULE_PATH, Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE)) {
            String m = refused(launch, "list");
            assertTrue(m.contains("com.example.broken.noarg.ConfiguredHookProvider listed in "
                    + home.resolve("plugins/configured-hook-1.0.jar")), m);
            assertTrue(m.contains("a public no-argument constructor"), m);
        }
    }

    @Test
    void aProviderCompiledAgainstAnotherRunnerApiVersionIsRefused() throws Exception {
        Path oldApi = FaultyPlugins.runnerApiVersion("9.0", build);
        install(FaultyPlugins.modular("old-api-hook", build, "old-hook-1.0.jar", oldApi));
        String m = refused(Launch.MODULE_PATH, "list");
        assertTrue(m.contains("hook 'old-hook' (com.example.broken.oldapi.OldHookProvider) in "
                + home.resolve("plugins/old-hook-1.0.jar")), m);
        assertTrue(m.contains("was compiled against runner-api 9.0; this Stride has 0.2.0"), m);
        assertTrue(m.contains("Rebuild the plugin against this runner-api"), m);
    }

    @Test
    void aProviderBuiltForAnotherSpiVersionIsRefusedOnBothPaths() throws Exception {
        install(FaultyPlugins.futureSpi(build, "future-hook-3.0.jar"));
        for (Launch launch : List.of(Launch.MODULE_PATH, Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE)) {
            String m = refused(launch, "list");
            assertTrue(m.contains("hook 'future-hook' (com.example.broken.future.FutureHookProvider) in "
                    + home.resolve("plugins/future-hook-3.0.jar")), m);
            assertTrue(m.contains("was built for SPI version 3 of runner-api; this Stride has version 2"), m);
        }
    }

    /** A jar built against Stride 0.1's SPI, whether it states its version (1) or not (0.1 did not require it). */
    @Test
    void aProviderBuiltAgainstTheOlderSpiIsRefusedOnBothPaths() throws Exception {
        install(FaultyPlugins.pastSpi(build, "past-hook-0.1.jar"));
        install(FaultyPlugins.oldSpi(build, "old-spi-hook-0.1.jar"));
        for (Launch launch : List.of(Launch.MODULE_PATH, Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE)) {
            String m = refused(launch, "list");
            assertTrue(m.contains("hook 'future-hook' (com.example.broken.future.FutureHookProvider) in "
                    + home.resolve("plugins/past-hook-0.1.jar") + " was built for SPI version 1 of runner-api;"
                    + " this Stride has version 2"), m);
            assertTrue(m.contains("hook 'old-spi-hook' (com.example.broken.oldspi.OldSpiHookProvider) in "
                    + home.resolve("plugins/old-spi-hook-0.1.jar") + " was built for SPI version 1 of runner-api"
                    + " (Stride 0.1); this Stride has version 2"), m);
            assertTrue(m.contains("implement spiVersion()"), m);
        }
    }

    /** Without hooks-builtin no hook steps the optimizer: a training that would never learn is refused, not run. */
    @Test
    void aDistributionWithoutAnOptimizerHookRefusesToTrain() throws Exception {
        try (var jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("hooks-builtin-")).toList()) {
                Files.delete(jar);
            }
        }
        Path job = Files.writeString(tmp.resolve("plain.conf"), """
                runner { type = epoch, max-epochs = 1 }
                work-dir = "%s"
                model { type = mlp, hidden = [8] }
                data { train { type = synthetic, size = 64, shape = [4], num-classes = 3, batch-size = 16 } }
                optimizer { type = sgd, lr = 0.1 }
                """.formatted(tmp.resolve("work")));
        Launch.Result r = Launch.MODULE_PATH.run(home, Distribution.repo(), "train", job.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("no hook named 'optimizer' is available to step the optimizer"), r.err());
        assertTrue(r.err().contains("hooks-builtin"), r.err());
        assertTrue(Files.notExists(tmp.resolve("work")), "nothing is written");
    }

    @Test
    void aPlainJarWhoseFileNameGivesNoModuleNameIsNamedWithTheFix() throws Exception {
        install(FaultyPlugins.plain("hello-hook", build, "default-hooks.jar"));
        String m = refused(Launch.MODULE_PATH, "list");
        assertTrue(m.contains("the plugin jar " + home.resolve("plugins/default-hooks.jar") + " cannot be read as a module"), m);
        assertTrue(m.contains("rename the jar"), m);
        assertTrue(m.contains("Automatic-Module-Name"), m);

        Launch.Result classPath = Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE.run(home, tmp, "list");
        assertEquals(0, classPath.exit(), "on the class path the file name does not matter: " + classPath.all());
        Files.move(home.resolve("plugins/default-hooks.jar"), home.resolve("plugins/hello-hooks.jar"));
        Launch.Result renamed = Launch.MODULE_PATH.run(home, tmp, "list");
        assertEquals(0, renamed.exit(), "renamed, the jar loads: " + renamed.all());
        assertTrue(renamed.out().contains("hello-hooks"), renamed.out());
    }

    @Test
    void aJarHoldingAModuleStrideAlreadyHasIsNamed() throws Exception {
        Path epoch = Distribution.libJars().stream().filter(p -> p.getFileName().toString().startsWith("runner-epoch-"))
                .findFirst().orElseThrow();
        install(epoch);
        String m = refused(Launch.MODULE_PATH, "list");
        assertTrue(m.contains("the plugin jar " + home.resolve("plugins").resolve(epoch.getFileName())
                + " holds the module dev.stride.runner.epoch, which Stride already has"), m);
        assertTrue(m.contains("remove " + epoch.getFileName() + " from the plugins folder"), m);
    }

    private void install(Path jar) throws Exception {
        Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
    }

    /** Runs the command, expects status 2 and a message without a stack trace; returns stderr. */
    private String refused(Launch launch, String... args) throws Exception {
        Launch.Result r = launch.run(home, tmp, args);
        assertEquals(2, r.exit(), launch + " " + String.join(" ", args) + ":\n" + r.all());
        String err = r.err();
        assertTrue(err.startsWith("stride: "), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        for (String bare : List.of("ServiceConfigurationError", "ResolutionException", "FindException")) {
            assertFalse(err.contains(bare), "no bare " + bare + ": " + err);
        }
        return err;
    }
}
