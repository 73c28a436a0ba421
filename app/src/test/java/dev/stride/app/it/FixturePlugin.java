package dev.stride.app.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the test plugin {@code dev.stride.app.it.fixture} (compiled with the tests) and its
 * resources ({@code src/test/fixture/linear-data}) into a plain jar in a plugins folder, so the
 * real command line finds the {@code linear-regression} data set as it finds any plugin.
 */
final class FixturePlugin {
    private FixturePlugin() {}

    /** A folder holding {@code linear-data-fixture.jar}. */
    static Path folder(Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("fixture-plugins"));
        Path jar = plugins.resolve("linear-data-fixture.jar");
        if (Files.exists(jar)) {
            return plugins;
        }
        Path classes = Path.of("target/test-classes").toAbsolutePath();
        Path resources = StrideCli.repo().resolve("app/src/test/fixture/linear-data");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Automatic-Module-Name", "dev.stride.test.lineardata");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            add(out, classes, classes.resolve("dev/stride/app/it/fixture"));
            add(out, resources, resources);
        }
        return plugins;
    }

    private static void add(JarOutputStream out, Path root, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
            out.write(Files.readAllBytes(f));
            out.closeEntry();
        }
    }
}
