package dev.stride.launcher.job;

import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.spi.Provider;
import dev.stride.runner.api.spi.ProviderKind;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the jars of plugin folders and finds every provider. On the module path the folders
 * become one child {@link ModuleLayer} (resolved and bound, one class loader): modular jars and
 * plain jars with {@code META-INF/services} entries both work, and a jar that cannot be read or
 * does not resolve is reported by name, with the fix, instead of as a stack trace. On the class
 * path the jars get a child class loader.
 */
public final class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger("stride");
    private static final String HELP = "How Stride finds plugins and what these messages mean: module-info-docs/README.md"
            + " (\"How Stride finds plugins\") in Stride's sources.";

    private Plugins() {}

    /** The folders to load: the distribution's plugins folder (if any), then the ones given. */
    public static List<Path> folders(List<Path> given) {
        Set<Path> dirs = new LinkedHashSet<>();
        String home = System.getProperty("stride.home");
        if (home != null && Files.isDirectory(Path.of(home, "plugins"))) {
            dirs.add(Path.of(home, "plugins").toAbsolutePath().normalize());
        }
        for (Path p : given) {
            if (!Files.isDirectory(p)) {
                throw new BadInputException("the plugins folder " + p.toAbsolutePath() + " does not exist or is not a"
                        + " folder: create it, or correct the --plugins option or the plugins key of the config");
            }
            dirs.add(p.toAbsolutePath().normalize());
        }
        return new ArrayList<>(dirs);
    }

    /** Every provider visible from the application and the plugin folders; logs what was found. */
    public static ProviderRegistry registry(List<Path> folders) {
        ProviderRegistry registry = load(folders);
        announce(registry, folders);
        return registry;
    }

    /**
     * Every provider visible from the application and the plugin folders.
     *
     * @throws BadInputException naming each plugin jar that cannot be used, and the fix
     */
    public static ProviderRegistry load(List<Path> folders) {
        List<Path> jars = jars(folders);
        try {
            ProviderRegistry.Builder b = new ProviderRegistry.Builder().locator(className -> listing(jars, className));
            if (Plugins.class.getModule().isNamed()) {
                ModuleLayer layer = layer(jars);
                ProviderKind.ALL.forEach(kind -> b.scan(kind, ServiceLoader.load(layer, kind.type())));
            } else {
                ClassLoader loader = classLoader(jars);
                ProviderKind.ALL.forEach(kind -> b.scan(kind, ServiceLoader.load(kind.type(), loader)));
            }
            return b.build();
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + "\n" + HELP, e.getCause());
        }
    }

    /**
     * Where a provider came from: {@code distribution}, {@code plugin}, {@code plugin (class path)}
     * (a plugin jar loaded on the class path), or {@code class path}.
     */
    public static String origin(ProviderRegistry.Entry e, List<Path> folders) {
        String origin = e.origin();
        if (origin.startsWith("plugin")) {
            return origin;
        }
        boolean inPlugins;
        try {
            Path location = Path.of(e.location()).toAbsolutePath().normalize();
            inPlugins = folders.stream().anyMatch(location::startsWith);
        } catch (InvalidPathException notAFile) {
            inPlugins = false;
        }
        if (!inPlugins) {
            return origin;
        }
        return origin.equals("class path") ? "plugin (class path)" : "plugin";
    }

    /** The jars of the folders, in name order. */
    public static List<Path> jars(List<Path> folders) {
        List<Path> jars = new ArrayList<>();
        for (Path dir : folders) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
            } catch (IOException e) {
                throw new BadInputException("the plugins folder " + dir + " cannot be listed: " + e.getMessage());
            }
        }
        return jars;
    }

    // ---- module path: one child layer ----

    private static ModuleLayer layer(List<Path> jars) {
        ModuleLayer parent = Plugins.class.getModule().getLayer();
        if (jars.isEmpty()) {
            return parent;
        }
        Problems problems = new Problems();
        Map<String, ModuleReference> modules = modules(jars, parent, problems);
        modules.values().forEach(ref -> checkRequires(ref, modules, parent, problems));
        problems.throwIfAny("Loading the plugins");
        try {
            ModuleFinder finder = ModuleFinder.of(modules.values().stream().map(Plugins::path).toArray(Path[]::new));
            Configuration cf = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), modules.keySet());
            return parent.defineModulesWithOneLoader(cf, Plugins.class.getClassLoader());
        } catch (ResolutionException | FindException e) {
            throw new BadInputException("the plugin jars do not resolve: " + causes(e) + ". The plugin modules are "
                    + describe(modules) + ". Put every jar a plugin requires into the plugins folder too, and remove"
                    + " jars that hold the same packages.");
        } catch (LayerInstantiationException e) {
            throw new BadInputException("the plugin jars cannot be loaded together: " + causes(e) + ". The plugin modules"
                    + " are " + describe(modules) + ". Two jars may contain the same package; remove one of them.");
        }
    }

    /** Each jar as a module, by name; unreadable jars and clashing names become problems. */
    private static Map<String, ModuleReference> modules(List<Path> jars, ModuleLayer parent, Problems problems) {
        Map<String, ModuleReference> modules = new TreeMap<>();
        for (Path jar : jars) {
            ModuleReference ref;
            try {
                ref = ModuleFinder.of(jar).findAll().iterator().next();
            } catch (FindException e) {
                problems.add("the plugin jar " + jar + " cannot be read as a module: " + causes(e) + ". " + findFix(jar, e));
                continue;
            }
            String name = ref.descriptor().name();
            Optional<Module> shadowed = parent.findModule(name);
            if (shadowed.isPresent()) {
                problems.add("the plugin jar " + jar + " holds the module " + name + ", which Stride already has ("
                        + shadowed.get().getLayer().configuration().findModule(name)
                                .flatMap(m -> m.reference().location()).map(Object::toString).orElse("the boot layer")
                        + "): remove " + jar.getFileName() + " from the plugins folder");
                continue;
            }
            ModuleReference first = modules.putIfAbsent(name, ref);
            if (first != null) {
                problems.add("the plugin jars " + path(first) + " and " + jar + " both hold the module " + name
                        + ": keep only one of them (two versions of one plugin?)");
            }
        }
        return modules;
    }

    /** Every module a plugin requires must be a plugin too, or be in the parent layer. */
    private static void checkRequires(ModuleReference ref, Map<String, ModuleReference> modules, ModuleLayer parent,
            Problems problems) {
        ModuleDescriptor d = ref.descriptor();
        for (ModuleDescriptor.Requires r : d.requires()) {
            if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) || modules.containsKey(r.name())
                    || parent.findModule(r.name()).isPresent()) {
                continue;
            }
            String fix = ModuleFinder.ofSystem().find(r.name()).isPresent()
                    ? "it is part of Java but not loaded: start Stride with STRIDE_JAVA_OPTS=\"--add-modules " + r.name() + "\""
                    : "put the jar of " + r.name() + " into the plugins folder too, or remove the requires from the plugin's"
                            + " module-info.java";
            problems.add("the plugin jar " + path(ref) + " (module " + d.name() + ") requires the module " + r.name()
                    + ", which is neither in Stride nor in a plugins folder: " + fix);
        }
    }

    private static String findFix(Path jar, FindException e) {
        if (!hasModuleInfo(jar) && causes(e).contains("module name")) {
            return "A plain jar's module name comes from its file name, and '" + jar.getFileName() + "' does not give a"
                    + " valid one: rename the jar (e.g. my-plugin-1.0.jar), or add an Automatic-Module-Name entry"
                    + " (e.g. com.example.myplugin) to its META-INF/MANIFEST.MF.";
        }
        return "Check that the jar is complete and that every provider its META-INF/services or module-info names is in"
                + " it; rebuild it if in doubt.";
    }

    private static boolean hasModuleInfo(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.getEntry("module-info.class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path path(ModuleReference ref) {
        return Path.of(ref.location().orElseThrow());
    }

    private static String describe(Map<String, ModuleReference> modules) {
        return modules.values().stream().map(r -> r.descriptor().name() + " (" + path(r) + ")")
                .collect(Collectors.joining(", "));
    }

    // ---- class path: a child class loader ----

    private static ClassLoader classLoader(List<Path> jars) {
        ClassLoader parent = Provider.class.getClassLoader();
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new BadInputException("the plugin jar path " + jars.get(i) + " cannot be used: " + e.getMessage());
            }
        }
        return new URLClassLoader("stride-plugins", urls, parent);
    }

    // ---- messages ----

    /** The plugin jar that holds or lists {@code className}, for messages about a provider that cannot be loaded. */
    private static Optional<String> listing(List<Path> jars, String className) {
        String classFile = className.replace('.', '/') + ".class";
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                if (jf.getEntry(classFile) != null || listsProvider(jf, className)) {
                    return Optional.of(jar.toString());
                }
            } catch (IOException e) {
                // an unreadable jar is reported when it is loaded
            }
        }
        return Optional.empty();
    }

    private static boolean listsProvider(JarFile jar, String className) throws IOException {
        for (ProviderKind kind : ProviderKind.ALL) {
            JarEntry services = jar.getJarEntry("META-INF/services/" + kind.type().getName());
            if (services != null) {
                try (InputStream in = jar.getInputStream(services)) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (text.lines().map(l -> l.replaceFirst("#.*", "").strip()).anyMatch(className::equals)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Logs the plugin providers found (info) and every provider (debug), as JUnit logs its engines. */
    private static void announce(ProviderRegistry registry, List<Path> folders) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Providers found: {}", registry.all().stream().map(e -> describe(e, folders))
                    .collect(Collectors.joining(", ")));
        }
        List<String> plugins = registry.all().stream().filter(e -> origin(e, folders).startsWith("plugin"))
                .map(e -> describe(e, folders)).toList();
        if (!plugins.isEmpty()) {
            LOG.info("Plugins found in {}: {}", folders, String.join(", ", plugins));
        }
    }

    private static String describe(ProviderRegistry.Entry e, List<Path> folders) {
        return e.kind().word() + " '" + e.name() + "' (module: " + e.module() + ", version: " + e.version() + ", origin: "
                + origin(e, folders) + ", location: " + e.location() + ")";
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            sb.append(" (").append(t.getMessage()).append(')');
        }
        return sb.toString();
    }
}
