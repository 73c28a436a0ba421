package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type of runner-api's exported packages carries apiguardian's {@code @API}
 * (nested types share the status of the type they are declared in), so plugin authors know what
 * they may rely on.
 */
class ApiStatusTest {
    @Test
    void everyPublicTypeOfTheRunnerApiHasAnApiStatus() throws Exception {
        ModuleReference api = StrideModules.all().get("dev.stride.runner.api");
        Set<String> exported = api.descriptor().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        List<String> types = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(urls(), ClassLoader.getPlatformClassLoader());
                JarFile jar = new JarFile(StrideModules.jar(api).toFile())) {
            for (JarEntry e : jar.stream().toList()) {
                String name = e.getName();
                if (!name.endsWith(".class") || name.contains("$") || name.equals("module-info.class")) {
                    continue;
                }
                String className = name.substring(0, name.length() - 6).replace('/', '.');
                if (!exported.contains(className.substring(0, className.lastIndexOf('.')))) {
                    continue;
                }
                Class<?> type = Class.forName(className, false, loader);
                if (!Modifier.isPublic(type.getModifiers())) {
                    continue;
                }
                types.add(className);
                boolean annotated = false;
                for (Annotation a : type.getDeclaredAnnotations()) {
                    annotated |= a.annotationType().getName().equals("org.apiguardian.api.API");
                }
                if (!annotated) {
                    missing.add(className);
                }
            }
        }
        assertFalse(types.isEmpty());
        assertTrue(missing.isEmpty(), "public types without @API(status = ..., since = ...): " + missing);
    }

    /** runner-api and what its signatures need, from the distribution. */
    private static URL[] urls() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path jar : Distribution.libJars()) {
            String n = jar.getFileName().toString();
            if (n.startsWith("runner-api-") || n.startsWith("apiguardian-api-") || n.startsWith("config-")
                    || n.startsWith("slf4j-api-")) {
                urls.add(jar.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
