package dev.stride.docs;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example projects of examples/, built as their pom.xml would build them: the jar is named
 * {@code <artifactId>-<version>.jar}, a modular jar gets the project version as module version, and
 * manifest entries the pom configures (Automatic-Module-Name) are copied.
 */
final class ExamplePlugins {
    static final String HOOK = "csv-metrics-hook";
    static final String RUNNER = "curriculum-runner";
    static final String MODEL = "gated-mlp-model";

    /** What a plugin compiles against, as the guides list it: these jars of the distribution's lib/, nothing else. */
    static final List<String> COMPILE_JARS = List.of("runner-api-", "config-", "slf4j-api-", "apiguardian-api-", "jspecify-");

    private ExamplePlugins() {}

    /**
     * What a model plugin built on engine-djl's API compiles against, as the model guide lists it:
     * the five above, engine-djl, and the DJL jars engine-djl requires (DJL's API, its PyTorch engine
     * and its model zoo).
     */
    static final List<String> MODEL_COMPILE_JARS = List.of("runner-api-", "config-", "slf4j-api-", "apiguardian-api-",
            "jspecify-", "engine-djl-", "api-0.", "pytorch-engine-", "model-zoo-");

    /** The jars of {@link #COMPILE_JARS} in the distribution. */
    static List<Path> compileJars() throws IOException {
        return compileJars(COMPILE_JARS);
    }

    /** One jar of the distribution's lib/ for each prefix. */
    static List<Path> compileJars(List<String> prefixes) throws IOException {
        List<Path> jars = Distribution.libJars().stream()
                .filter(j -> prefixes.stream().anyMatch(prefix -> j.getFileName().toString().startsWith(prefix)))
                .toList();
        if (jars.size() != prefixes.size()) {
            throw new AssertionError("expected one jar of each of " + prefixes + " in lib/, found " + jars);
        }
        return jars;
    }

    static Path project(String name) {
        return Distribution.docs().resolve("examples").resolve(name);
    }

    /** Builds {@code examples/<name>} into {@code buildDir}; returns the jar. */
    static Path build(String name, Path buildDir) throws IOException {
        Path project = project(name);
        String pom = Files.readString(project.resolve("pom.xml"));
        String artifact = first(pom, "<artifactId>([^<]+)</artifactId>");
        String version = first(pom, "<version>([^<]+)</version>");
        boolean modular = Files.exists(project.resolve("src/main/java/module-info.java"));
        PluginJar jar = PluginJar.of(project).against(name.equals(MODEL) ? compileJars(MODEL_COMPILE_JARS) : compileJars());
        if (modular) {
            jar.moduleVersion(version);
        }
        Matcher automatic = Pattern.compile("<Automatic-Module-Name>([^<]+)</Automatic-Module-Name>").matcher(pom);
        if (automatic.find()) {
            jar.manifest("Automatic-Module-Name", automatic.group(1));
        }
        return jar.build(buildDir.resolve(artifact + "-" + version + ".jar"));
    }

    /**
     * Compiles the project's tests (src/test/java) against its jar and this JVM's class path (the
     * testkit, the runners, JUnit), then runs them with the JUnit Platform launcher, the jar and
     * the test classes in a child class loader, as the plugin's own {@code mvn test} would.
     */
    static TestExecutionSummary test(String name, Path jar, Path buildDir) throws IOException {
        List<Path> path = new java.util.ArrayList<>(List.of(jar));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            path.add(Path.of(entry));
        }
        Path classes = PluginJar.of(project(name)).sources("src/test/java").against(path)
                .compileTo(buildDir.resolve(name + "-test-classes"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), jar.toUri().toURL()},
                ExamplePlugins.class.getClassLoader())) {
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader); // JUnit's class path scan and Stride's ServiceLoader look here
            try {
                LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                        .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(classes))).build();
                SummaryGeneratingListener listener = new SummaryGeneratingListener();
                LauncherFactory.create().execute(request, listener);
                return listener.getSummary();
            } finally {
                thread.setContextClassLoader(before);
            }
        }
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + regex + " in the pom");
        }
        return m.group(1);
    }
}
