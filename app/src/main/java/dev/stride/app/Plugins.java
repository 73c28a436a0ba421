package dev.stride.app;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.spi.Provider;
import dev.stride.runner.api.support.ProviderRegistry;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads the jars of plugin folders and finds every provider. On the module path the folders
 * become one child {@link ModuleLayer} (resolved and bound, one class loader): modular jars and
 * plain jars with {@code META-INF/services} entries both work, and a jar that does not resolve is
 * reported by name instead of stopping the JVM. On the class path they get a child class loader.
 */
final class Plugins {
    private Plugins() {}

    /** The folders to load: the distribution's plugins folder (if any), then the ones given. */
    static List<Path> folders(List<Path> given) {
        Set<Path> dirs = new LinkedHashSet<>();
        String home = System.getProperty("stride.home");
        if (home != null && Files.isDirectory(Path.of(home, "plugins"))) {
            dirs.add(Path.of(home, "plugins").toAbsolutePath().normalize());
        }
        for (Path p : given) {
            if (!Files.isDirectory(p)) {
                throw new BadInputException("the plugins folder " + p + " does not exist or is not a folder");
            }
            dirs.add(p.toAbsolutePath().normalize());
        }
        return new ArrayList<>(dirs);
    }

    /** Every provider visible from the application and the plugin folders. */
    static ProviderRegistry registry(List<Path> folders) {
        if (Plugins.class.getModule().isNamed()) {
            ModuleLayer layer = layer(folders);
            return ProviderRegistry.scan(type -> ServiceLoader.load(layer, type));
        }
        ClassLoader loader = classLoader(folders);
        return ProviderRegistry.scan(type -> ServiceLoader.load(type, loader));
    }

    private static ModuleLayer layer(List<Path> folders) {
        List<Path> jars = jars(folders);
        if (jars.isEmpty()) {
            return ModuleLayer.boot();
        }
        ModuleFinder finder;
        Set<ModuleReference> found;
        try {
            finder = ModuleFinder.of(jars.toArray(Path[]::new));
            found = finder.findAll();
        } catch (FindException e) {
            throw new BadInputException("a plugin jar cannot be read as a module: " + causes(e) + ". Plain jars need a"
                    + " file name that makes a valid module name (e.g. my-hooks-1.0.jar) or an Automatic-Module-Name"
                    + " manifest entry.");
        }
        Set<String> roots = found.stream().map(r -> r.descriptor().name()).collect(Collectors.toSet());
        try {
            Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        } catch (ResolutionException | FindException e) {
            throw new BadInputException("the plugin jars do not resolve: " + causes(e) + ". Plugin modules: "
                    + found.stream().map(r -> r.descriptor().name() + " (" + r.location().map(Object::toString).orElse("?") + ")")
                            .sorted().collect(Collectors.joining(", "))
                    + ". Put every jar a plugin requires into the plugins folder too, or fix its module-info requires.");
        } catch (LayerInstantiationException e) {
            throw new BadInputException("the plugin jars cannot be loaded: " + causes(e)
                    + ". Two jars may contain the same package; remove one of them.");
        }
    }

    private static ClassLoader classLoader(List<Path> folders) {
        List<Path> jars = jars(folders);
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new BadInputException("bad plugin jar path " + jars.get(i));
            }
        }
        ClassLoader parent = Provider.class.getClassLoader();
        return urls.length == 0 ? parent : new URLClassLoader("stride-plugins", urls, parent);
    }

    /** The jars of the folders, in name order. */
    static List<Path> jars(List<Path> folders) {
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

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            sb.append(" (").append(t.getMessage()).append(')');
        }
        return sb.toString();
    }
}
