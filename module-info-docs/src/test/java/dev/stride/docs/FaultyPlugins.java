package dev.stride.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * Builds the faulty plugins of src/test/plugins, each with one mistake (see its README), the same
 * way the examples are built.
 */
final class FaultyPlugins {
    private FaultyPlugins() {}

    static Path project(String name) {
        return Distribution.docs().resolve("src/test/plugins").resolve(name);
    }

    /** A plain jar (META-INF/services only), compiled on the class path against the distribution. */
    static Path plain(String name, Path buildDir, String jarName) throws IOException {
        return PluginJar.of(project(name)).against(Distribution.libJars()).build(buildDir.resolve(jarName));
    }

    /** A modular jar, compiled on the module path against {@code first}, then the distribution. */
    static Path modular(String name, Path buildDir, String jarName, Path... first) throws IOException {
        List<Path> path = new ArrayList<>(List.of(first));
        path.add(Distribution.built().resolve("lib"));
        return PluginJar.of(project(name)).against(path).moduleVersion("1.0").build(buildDir.resolve(jarName));
    }

    /** A copy of the distribution's runner-api jar whose module version is {@code version}. */
    static Path runnerApiVersion(String version, Path buildDir) throws IOException {
        Path lib = Files.createDirectories(buildDir.resolve("runner-api-" + version));
        Path copy = lib.resolve("runner-api.jar");
        try (var jars = Files.list(Distribution.built().resolve("lib"))) {
            Path real = jars.filter(p -> p.getFileName().toString().startsWith("runner-api-")).findFirst().orElseThrow();
            Files.copy(real, copy);
        }
        int status = ToolProvider.findFirst("jar").orElseThrow()
                .run(System.out, System.err, "--update", "--file", copy.toString(), "--module-version", version);
        if (status != 0) {
            throw new AssertionError("jar --update --module-version failed: " + status);
        }
        return copy;
    }

    /**
     * The hook of {@code future-spi-hook}, compiled against a runner-api whose
     * {@code SpiVersion.CURRENT} is 3: the stub comes first on the class path.
     */
    static Path futureSpi(Path buildDir, String jarName) throws IOException {
        return againstStub("spi-version-3", "future-spi-hook", buildDir, jarName);
    }

    /** The hook of {@code future-spi-hook}, compiled against Stride 0.1's SPI: it returns version 1. */
    static Path pastSpi(Path buildDir, String jarName) throws IOException {
        return againstStub("spi-0.1", "future-spi-hook", buildDir, jarName);
    }

    /** The hook of {@code old-spi-hook}, compiled against Stride 0.1's SPI, which did not require spiVersion(). */
    static Path oldSpi(Path buildDir, String jarName) throws IOException {
        return againstStub("spi-0.1", "old-spi-hook", buildDir, jarName);
    }

    /** {@code plugin} compiled with the stub project {@code stub} first on the class path, then the distribution. */
    private static Path againstStub(String stub, String plugin, Path buildDir, String jarName) throws IOException {
        Path stubJar = PluginJar.of(project(stub)).against(Distribution.libJars()).build(buildDir.resolve(stub + ".jar"));
        List<Path> path = new ArrayList<>(List.of(stubJar));
        path.addAll(Distribution.libJars());
        return PluginJar.of(project(plugin)).against(path).build(buildDir.resolve(jarName));
    }
}
