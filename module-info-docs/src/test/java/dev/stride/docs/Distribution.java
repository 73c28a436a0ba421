package dev.stride.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the tests find things: the distribution {@code mvn package} laid out in app/target/stride,
 * the repository and this module's folder; and fresh copies of the distribution to drop plugins into.
 */
final class Distribution {
    private Distribution() {}

    /** The built distribution: lib/ (module path), native/ (class path), plugins/. */
    static Path built() {
        return property("stride.dist", "../app/target/stride");
    }

    /** The repository root (for data/mnist-10k). */
    static Path repo() {
        return property("stride.repo", "..");
    }

    /** This module's folder: README.md, guides/, examples/. */
    static Path docs() {
        return property("stride.docs", ".");
    }

    /** The jars of the built distribution's lib/ folder. */
    static List<Path> libJars() throws IOException {
        try (Stream<Path> s = Files.list(built().resolve("lib"))) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /**
     * A fresh distribution in {@code dir}: a copy of lib/, the jars of native/ linked (they are
     * large and only read), and an empty plugins/ folder.
     */
    static Path fresh(Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("stride"));
        Path lib = Files.createDirectories(home.resolve("lib"));
        for (Path jar : libJars()) {
            Files.copy(jar, lib.resolve(jar.getFileName()));
        }
        Path nativeDir = Files.createDirectories(home.resolve("native"));
        try (Stream<Path> s = Files.list(built().resolve("native"))) {
            for (Path jar : s.toList()) {
                link(nativeDir.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Files.createDirectories(home.resolve("plugins"));
        return home;
    }

    /** A hard link where the file system allows it (nothing to warn about when deleted), else a symbolic one. */
    private static void link(Path link, Path target) throws IOException {
        try {
            Files.createLink(link, target);
        } catch (IOException | UnsupportedOperationException e) {
            Files.createSymbolicLink(link, target);
        }
    }

    private static Path property(String key, String fallback) {
        return Path.of(System.getProperty(key, fallback)).toAbsolutePath().normalize();
    }
}
