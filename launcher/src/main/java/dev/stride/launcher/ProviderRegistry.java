package dev.stride.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.internal.Suggestions;
import dev.stride.runner.api.spi.Provider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.SpiVersion;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The providers Stride found, by kind and name. Names are checked (lower-case words joined by
 * {@code -}) and must be unique per kind: two jars providing the same name is an error naming
 * both. A provider that cannot be loaded or instantiated, or was built for another SPI version,
 * is an error naming its jar and class, never a bare {@link ServiceConfigurationError}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ProviderRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)+");

    /** A provider and where it came from. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Entry(ProviderKind kind, Provider provider) {
        public String name() {
            return provider.name();
        }

        /** The module name, or {@code (class path)}. */
        public String module() {
            Module m = provider.getClass().getModule();
            return m.isNamed() ? m.getName() : "(class path)";
        }

        /**
         * The module version; on the class path the package's implementation version, else the
         * version its jar would have as a module (from its module-info or file name), or {@code -}.
         */
        public String version() {
            Module m = provider.getClass().getModule();
            if (m.isNamed() && m.getDescriptor().version().isPresent()) {
                return m.getDescriptor().version().get().toString();
            }
            String v = provider.getClass().getPackage().getImplementationVersion();
            return v != null ? v : jarVersion(location()).orElse("-");
        }

        /** The jar (or folder) the provider's class was loaded from. */
        public String location() {
            return locationOf(provider.getClass());
        }

        /**
         * {@code distribution} for the layer of runner-api, {@code plugin} for a child layer,
         * {@code plugin (class path)} for a class loader below runner-api's, else {@code class path}.
         */
        public String origin() {
            Class<?> type = provider.getClass();
            Module m = type.getModule();
            if (m.isNamed()) {
                return m.getLayer() == Provider.class.getModule().getLayer() ? "distribution" : "plugin";
            }
            return isAncestorOrSame(type.getClassLoader(), Provider.class.getClassLoader()) ? "class path" : "plugin (class path)";
        }
    }

    private final Map<ProviderKind, Map<String, Entry>> byKind;

    private ProviderRegistry(Map<ProviderKind, Map<String, Entry>> byKind) {
        this.byKind = byKind;
    }

    /** Providers visible from this module's layer or the class path, as an embedding program sees them. */
    public static ProviderRegistry load() {
        return scan(type -> ServiceLoader.load(type, ProviderRegistry.class.getClassLoader()));
    }

    /** Providers of {@code layer} and its parents. */
    public static ProviderRegistry load(ModuleLayer layer) {
        return scan(type -> ServiceLoader.load(layer, type));
    }

    /**
     * Scans every kind with {@code loaders}.
     *
     * @throws BadInputException listing every broken or duplicated provider
     */
    public static ProviderRegistry scan(Function<Class<? extends Provider>, ServiceLoader<? extends Provider>> loaders) {
        Builder b = new Builder();
        for (ProviderKind kind : ProviderKind.ALL) {
            b.scan(kind, loaders.apply(kind.type()));
        }
        return b.build();
    }

    /** Builds a registry from providers given one by one (tests, embedding). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static final class Builder {
        private final Map<ProviderKind, Map<String, Entry>> byKind = new EnumMap<>(ProviderKind.class);
        private final Problems problems = new Problems();
        private Function<String, Optional<String>> locator = className -> Optional.empty();

        public Builder() {
            ProviderKind.ALL.forEach(k -> byKind.put(k, new TreeMap<>()));
        }

        public Builder add(ProviderKind kind, Provider p) {
            String name;
            try {
                name = p.name();
            } catch (RuntimeException | LinkageError e) {
                problems.add(kind.word() + " provider " + p.getClass().getName() + " in " + locationOf(p.getClass())
                        + " fails in name(): " + e + ". It was probably built against another runner-api; rebuild it.");
                return this;
            }
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(kind.word() + " provider " + p.getClass().getName() + " in " + locationOf(p.getClass())
                        + " has the invalid name '" + name + "': use lower-case words joined by '-'");
                return this;
            }
            Optional<String> incompatible = incompatibility(p);
            if (incompatible.isPresent()) {
                problems.add(kind.word() + " '" + name + "' (" + p.getClass().getName() + ") in " + locationOf(p.getClass())
                        + incompatible.get());
                return this;
            }
            Entry e = new Entry(kind, p);
            Entry old = byKind.get(kind).putIfAbsent(name, e);
            if (old != null && old.provider().getClass() != p.getClass()) {
                problems.add("two " + kind.word() + " providers are named '" + name + "': " + old.provider().getClass().getName()
                        + " in " + old.location() + " and " + p.getClass().getName() + " in " + e.location()
                        + ". Remove one of the jars, or rename one provider.");
            }
            return this;
        }

        /**
         * How to find the jar that lists a provider class which cannot be loaded (its class is
         * missing, not public, or lacks a public no-argument constructor), for the message.
         */
        public Builder locator(Function<String, Optional<String>> jarListing) {
            this.locator = jarListing;
            return this;
        }

        /** Adds every provider {@code loader} finds; broken ones become problems naming their jar. */
        public Builder scan(ProviderKind kind, ServiceLoader<? extends Provider> loader) {
            Iterator<? extends ServiceLoader.Provider<? extends Provider>> it = loader.stream().iterator();
            int failures = 0;
            while (failures < 100) {
                ServiceLoader.Provider<? extends Provider> candidate;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    candidate = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    failures++;
                    problems.add(unloadable(kind, e));
                    continue;
                }
                Provider p;
                try {
                    p = candidate.get();
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    failures++;
                    problems.add("the " + kind.word() + " provider " + candidate.type().getName() + " in "
                            + locationOf(candidate.type()) + " failed to instantiate: " + rootMessage(e)
                            + ". A provider needs a public no-argument constructor that does not throw.");
                    continue;
                }
                add(kind, p);
            }
            return this;
        }

        private String unloadable(ProviderKind kind, Throwable e) {
            String where = providerClassIn(e.getMessage(), kind)
                    .map(c -> " " + c + locator.apply(c).map(jar -> " listed in " + jar).orElse(""))
                    .orElse("");
            return "a " + kind.word() + " provider" + where + " cannot be loaded: " + rootMessage(e)
                    + ". Check the META-INF/services or provides entry of the plugin jar and its dependencies: a provider"
                    + " class must be public and have a public no-argument constructor.";
        }

        /** The problems found so far. */
        public Problems problems() {
            return problems;
        }

        /** @throws BadInputException listing every problem found */
        public ProviderRegistry build() {
            problems.throwIfAny("The set of providers found");
            return new ProviderRegistry(byKind);
        }
    }

    /**
     * The provider of {@code kind} named {@code name}.
     *
     * @param origin where the name was written, for the message
     * @param path the config key holding the name, for the message
     * @throws BadInputException naming the key, its file and line, and the names that exist
     */
    public <P extends Provider> P get(ProviderKind kind, String name, ConfigOrigin origin, String path) {
        return find(kind, name).map(e -> {
            @SuppressWarnings("unchecked")
            P p = (P) kind.type().cast(e.provider());
            return p;
        }).orElseThrow(() -> new BadInputException(Problems.where(origin) + unknown(kind, name, path)));
    }

    /** The message for an unknown name: what exists, the closest match, how to add one. */
    public String unknown(ProviderKind kind, String name, String path) {
        Collection<String> names = names(kind);
        return (path == null ? "" : path + ": ") + "unknown " + kind.word() + " type '" + name + "'"
                + Suggestions.didYouMean(name, names) + ". Known " + kind.word() + "s: "
                + (names.isEmpty() ? "none" : String.join(", ", names))
                + ". " + (kind == ProviderKind.OPTIMIZER ? "An " : "A ") + kind.word()
                + " from a plugin needs its jar in the plugins folder (or --plugins DIR).";
    }

    public Optional<Entry> find(ProviderKind kind, String name) {
        return Optional.ofNullable(byKind.get(kind).get(name));
    }

    public Collection<String> names(ProviderKind kind) {
        return byKind.get(kind).keySet();
    }

    /** Every provider, by kind then name. */
    public List<Entry> all() {
        List<Entry> all = new ArrayList<>();
        byKind.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    /** The defaults of a provider, read from the {@code reference.conf} files its class loader sees. */
    public static Config defaults(ProviderKind kind, Provider p) {
        Config ref = ConfigFactory.defaultReference(p.getClass().getClassLoader());
        String path = kind.defaultsPath(p.name());
        return ref.hasPath(path) ? ref.getConfig(path) : ConfigFactory.empty();
    }

    private static Optional<String> incompatibility(Provider p) {
        int v;
        try {
            v = p.spiVersion();
        } catch (AbstractMethodError e) {
            // compiled against SPI 1 (Stride 0.1), where spiVersion() had a default: the plugin does not implement it
            return Optional.of(" was built for SPI version 1 of runner-api (Stride 0.1); this Stride has version "
                    + SpiVersion.CURRENT + ". Rebuild the plugin against this runner-api (and implement spiVersion() as"
                    + " return SpiVersion.CURRENT;).");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(" fails in spiVersion(): " + e);
        }
        if (v != SpiVersion.CURRENT) {
            return Optional.of(" was built for SPI version " + v + " of runner-api; this Stride has version "
                    + SpiVersion.CURRENT + ". Rebuild the plugin against this runner-api.");
        }
        Module m = p.getClass().getModule();
        Module api = Provider.class.getModule();
        if (m.isNamed() && api.isNamed() && api.getDescriptor().version().isPresent()) {
            ModuleDescriptor.Version have = api.getDescriptor().version().get();
            for (ModuleDescriptor.Requires r : m.getDescriptor().requires()) {
                if (r.name().equals(api.getName()) && r.compiledVersion().isPresent()
                        && !sameSeries(r.compiledVersion().get(), have)) {
                    return Optional.of(" was compiled against runner-api " + r.compiledVersion().get()
                            + "; this Stride has " + have + ". Rebuild the plugin against this runner-api.");
                }
            }
        }
        return Optional.empty();
    }

    /** Same major version (same major.minor while below 1.0). */
    static boolean sameSeries(ModuleDescriptor.Version a, ModuleDescriptor.Version b) {
        String[] x = a.toString().split("[.-]");
        String[] y = b.toString().split("[.-]");
        if (!x[0].equals(y[0])) {
            return false;
        }
        return !x[0].equals("0") || (x.length > 1 && y.length > 1 && x[1].equals(y[1]));
    }

    /** The first class name in a {@link ServiceConfigurationError} message that is not the service type. */
    static Optional<String> providerClassIn(String message, ProviderKind kind) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = CLASS_NAME.matcher(message);
        while (m.find()) {
            String name = m.group();
            if (!name.equals(kind.type().getName()) && !name.startsWith("java.")) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The version {@code location}, a jar, has as a module: from its module-info or its file name. */
    private static Optional<String> jarVersion(String location) {
        try {
            Path jar = Path.of(location);
            if (!Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            return ModuleFinder.of(jar).findAll().stream()
                    .flatMap(r -> r.descriptor().version().stream())
                    .map(Object::toString)
                    .findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isAncestorOrSame(ClassLoader loader, ClassLoader of) {
        for (ClassLoader l = of; l != null; l = l.getParent()) {
            if (l == loader) {
                return true;
            }
        }
        return loader == null;
    }

    /** The jar or folder a class came from. */
    public static String locationOf(Class<?> type) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            URL url = cs == null ? null : cs.getLocation();
            if (url == null) {
                return "(unknown location)";
            }
            return "file".equals(url.getProtocol()) ? Path.of(url.toURI()).toString() : url.toString();
        } catch (Exception e) {
            return "(unknown location)";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            sb.append(" <- ").append(t);
        }
        return sb.toString();
    }
}
