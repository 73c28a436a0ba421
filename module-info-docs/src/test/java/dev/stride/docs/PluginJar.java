package dev.stride.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar from a Maven-style project folder ({@code src/main/java},
 * {@code src/main/resources}) the way its pom would, without Maven: javac from
 * {@link ToolProvider#getSystemJavaCompiler()} against the distribution's jars (on the module path
 * when the project has a module-info.java, else on the class path), then {@link JarOutputStream}.
 */
final class PluginJar {
    private final Path project;
    private final List<Path> path = new ArrayList<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private String moduleVersion;
    private String sourceFolder = "src/main/java";

    private PluginJar(Path project) {
        this.project = project;
    }

    static PluginJar of(Path project) {
        return new PluginJar(project);
    }

    /** Compiles against these jars or folders (module path or class path, in this order). */
    PluginJar against(List<Path> jars) {
        path.addAll(jars);
        return this;
    }

    /** The module version of a modular jar, as Maven's compiler plugin sets it from the project version. */
    PluginJar moduleVersion(String version) {
        this.moduleVersion = version;
        return this;
    }

    /** Compiles the sources of this folder of the project instead of src/main/java (e.g. src/test/java). */
    PluginJar sources(String folder) {
        this.sourceFolder = folder;
        return this;
    }

    /** Compiles into {@code classes} without packaging; returns it. */
    Path compileTo(Path classes) throws IOException {
        compile(Files.createDirectories(classes));
        return classes;
    }

    PluginJar manifest(String key, String value) {
        manifest.put(key, value);
        return this;
    }

    /** Compiles into {@code <jar>.classes} beside it, then packages {@code jar}; returns it. */
    Path build(Path jar) throws IOException {
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Path classes = Files.createDirectories(jar.resolveSibling(jar.getFileName() + ".classes"));
        compile(classes);
        Path resources = project.resolve("src/main/resources");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest())) {
            add(out, classes);
            if (Files.isDirectory(resources)) {
                add(out, resources);
            }
        }
        return jar;
    }

    private void compile(Path classes) throws IOException {
        List<String> sources;
        try (Stream<Path> s = Files.walk(project.resolve(sourceFolder))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        boolean modular = sources.stream().anyMatch(s -> s.endsWith("module-info.java"));
        String joined = path.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "-proc:none",
                "-encoding", "UTF-8", modular ? "--module-path" : "--class-path", joined));
        if (modular && moduleVersion != null) {
            options.addAll(List.of("--module-version", moduleVersion));
        }
        options.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = javac.run(null, log, log, options.toArray(String[]::new));
        if (status != 0) {
            throw new AssertionError("javac failed for " + project + " (status " + status + "):\n" + log);
        }
    }

    private Manifest manifest() {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
        return m;
    }

    private static void add(JarOutputStream out, Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            out.putNextEntry(new JarEntry(name));
            Files.copy(f, out);
            out.closeEntry();
        }
    }
}
