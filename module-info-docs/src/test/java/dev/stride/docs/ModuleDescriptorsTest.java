package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of module-info-docs/README.md, checked against the module descriptors of the jars the
 * distribution ships (after Lucene's TestModularLayer): each provider is declared twice and both
 * agree, exported packages are named after their module, provider modules export nothing, runner-api
 * stays engine-neutral, and each provider's defaults are in its module's reference.conf.
 */
class ModuleDescriptorsTest {
    private static final Map<String, ModuleReference> MODULES = StrideModules.all();

    @Test
    void theDistributionShipsEveryStrideModule() {
        assertEquals(StrideModules.EXPECTED, MODULES.keySet());
    }

    @Test
    void providesAndMetaInfServicesAgree() {
        List<String> problems = new ArrayList<>();
        for (ModuleReference ref : MODULES.values()) {
            Path jar = StrideModules.jar(ref);
            Set<String> services = new TreeSet<>(StrideModules.servicesFiles(jar));
            for (ModuleDescriptor.Provides p : ref.descriptor().provides()) {
                Set<String> declared = new TreeSet<>(p.providers());
                Set<String> listed = new TreeSet<>(StrideModules.servicesFile(jar, p.service()));
                if (!declared.equals(listed)) {
                    problems.add(jar.getFileName() + ": module-info provides " + p.service() + " with " + declared
                            + " but META-INF/services/" + p.service() + " lists " + listed);
                }
                services.remove(p.service());
            }
            services.forEach(s -> problems.add(jar.getFileName() + ": META-INF/services/" + s
                    + " has no 'provides " + s + "' in module-info.java"));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyExportedPackageStartsWithTheModuleName() {
        for (ModuleReference ref : MODULES.values()) {
            ModuleDescriptor d = ref.descriptor();
            for (ModuleDescriptor.Exports e : d.exports()) {
                assertTrue(e.source().equals(d.name()) || e.source().startsWith(d.name() + "."),
                        d.name() + " exports " + e.source());
            }
        }
    }

    /** Provider modules export nothing but the DJL engine's API package (any DJL block and data set as Stride's). */
    @Test
    void providerModulesExportNothingButTheEnginesApi() {
        for (ModuleReference ref : MODULES.values()) {
            ModuleDescriptor d = ref.descriptor();
            if (!d.provides().isEmpty()) {
                Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
                Set<String> allowed = d.name().equals("dev.stride.engine.djl") ? Set.of("dev.stride.engine.djl") : Set.of();
                assertEquals(allowed, exports, d.name() + " provides services, so it exports nothing but " + allowed);
                assertTrue(d.opens().stream().allMatch(ModuleDescriptor.Opens::isQualified), d.name() + " opens " + d.opens());
            }
        }
    }

    @Test
    void runnerApiStaysEngineNeutral() {
        ModuleDescriptor api = StrideModules.descriptor("dev.stride.runner.api");
        Set<String> requires = api.requires().stream()
                .map(r -> (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) ? "static " : "") + r.name())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("java.base", "typesafe.config", "org.slf4j", "static org.apiguardian.api", "static org.jspecify")),
                requires, "runner-api requires only the JDK's base module, Typesafe Config, SLF4J and (at compile time) apiguardian"
                        + " and JSpecify");
        assertEquals(Set.of(), api.provides(), "runner-api provides nothing: engines, runners and hooks are plugins");
    }

    /** Instantiates every provider in a module layer of the distribution, as Stride does, and reads its name. */
    @Test
    void everyProviderHasItsDefaultsInItsModulesReferenceConf() throws Exception {
        ModuleFinder finder = ModuleFinder.of(Distribution.built().resolve("lib"));
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), MODULES.keySet());
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("dev.stride.runner.api");
        List<String> problems = new ArrayList<>();
        for (String kind : List.of("Runner", "Hook", "Model", "Dataset", "Optimizer")) {
            Class<?> service = loader.loadClass("dev.stride.runner.api.spi." + kind + "Provider");
            Method name = service.getMethod("name");
            for (ServiceLoader.Provider<?> p : ServiceLoader.load(layer, service).stream().toList()) {
                Module module = p.type().getModule();
                Path jar = StrideModules.jar(MODULES.get(module.getName()));
                Config reference = ConfigFactory.parseString(StrideModules.file(jar, "reference.conf").orElse(""));
                String path = "stride." + kind.toLowerCase() + ".\"" + name.invoke(p.get()) + "\"";
                if (!reference.hasPath(path)) {
                    problems.add(jar.getFileName() + ": " + p.type().getName() + " has no " + path + " in reference.conf");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
