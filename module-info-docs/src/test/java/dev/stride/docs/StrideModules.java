package dev.stride.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Stride's own modules as the distribution ships them: the {@code dev.stride.*} jars of lib/, read with {@link ModuleFinder}. */
final class StrideModules {
    /** Every Stride jar of the distribution must be one of these. */
    static final Set<String> EXPECTED = Set.of("dev.stride.runner.api", "dev.stride.runner.epoch", "dev.stride.runner.iter",
            "dev.stride.hooks.builtin", "dev.stride.engine.djl", "dev.stride.launcher", "dev.stride.app");

    private StrideModules() {}

    /** The Stride modules of the distribution, by name. */
    static Map<String, ModuleReference> all() {
        return stride(ModuleFinder.of(Distribution.built().resolve("lib")));
    }

    /** Where the modules a plugin author compiles against are: the distribution's lib/ and the testkit's jar. */
    static ModuleFinder publishedFinder() {
        return ModuleFinder.of(Distribution.built().resolve("lib"), testkitJar());
    }

    /** Every Stride module with an API of its own: the distribution's and runner-testkit, by name. */
    static Map<String, ModuleReference> published() {
        return stride(publishedFinder());
    }

    /** The runner-testkit jar, built before this module. */
    static Path testkitJar() {
        Path jar = Path.of(System.getProperty("stride.testkit", "../runner-testkit/target/runner-testkit.jar"));
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new AssertionError("runner-testkit's jar is not at " + jar + ": build it first (mvn -o install -pl runner-testkit)");
        }
        return jar;
    }

    private static Map<String, ModuleReference> stride(ModuleFinder finder) {
        Map<String, ModuleReference> out = new TreeMap<>();
        for (ModuleReference ref : finder.findAll()) {
            if (ref.descriptor().name().startsWith("dev.stride.")) {
                out.put(ref.descriptor().name(), ref);
            }
        }
        return out;
    }

    static ModuleDescriptor descriptor(String name) {
        return all().get(name).descriptor();
    }

    static Path jar(ModuleReference ref) {
        return Path.of(ref.location().orElseThrow());
    }

    /** The class names a {@code META-INF/services/<service>} file of the jar lists, or empty when it has none. */
    static Set<String> servicesFile(Path jar, String service) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            JarEntry e = jf.getJarEntry("META-INF/services/" + service);
            if (e == null) {
                return Set.of();
            }
            Set<String> names = new LinkedHashSet<>();
            String text = new String(jf.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
            text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The services a jar has a {@code META-INF/services} file for. */
    static Set<String> servicesFiles(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Set<String> out = new LinkedHashSet<>();
            jf.stream().map(JarEntry::getName).filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                    .forEach(n -> out.add(n.substring("META-INF/services/".length())));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a file in the jar. */
    static Optional<String> file(Path jar, String name) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            JarEntry e = jf.getJarEntry(name);
            return e == null ? Optional.empty()
                    : Optional.of(new String(jf.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
