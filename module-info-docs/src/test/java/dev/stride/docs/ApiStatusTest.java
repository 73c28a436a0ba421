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
 * Every public top-level type of every exported package of Stride's modules carries
 * apiguardian's {@code @API} (nested types share the status of the type they are declared in), so
 * plugin authors know what they may rely on; and every exported package is {@code @NullMarked}
 * (JSpecify).
 */
class ApiStatusTest {
    @Test
    void everyExportedPublicTypeHasAnApiStatusAndEveryPackageIsNullMarked() throws Exception {
        List<String> types = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unmarked = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(urls(), ClassLoader.getPlatformClassLoader())) {
            for (ModuleReference module : StrideModules.published().values()) {
                Set<String> exported = module.descriptor().exports().stream().filter(e -> !e.isQualified())
                        .map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet());
                for (String pkg : exported) {
                    Class<?> info = Class.forName(pkg + ".package-info", false, loader);
                    if (!annotated(info.getDeclaredAnnotations(), "org.jspecify.annotations.NullMarked")) {
                        unmarked.add(pkg);
                    }
                }
                try (JarFile jar = new JarFile(StrideModules.jar(module).toFile())) {
                    for (JarEntry e : jar.stream().toList()) {
                        String name = e.getName();
                        if (!name.endsWith(".class") || name.contains("$") || name.endsWith("-info.class")) {
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
                        if (!annotated(type.getDeclaredAnnotations(), "org.apiguardian.api.API")) {
                            missing.add(className);
                        }
                    }
                }
            }
        }
        assertFalse(types.isEmpty());
        assertTrue(missing.isEmpty(), "public types without @API(status = ..., since = ...): " + missing);
        assertTrue(unmarked.isEmpty(), "exported packages without @NullMarked in package-info.java: " + unmarked);
    }

    private static boolean annotated(Annotation[] annotations, String type) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The distribution's jars, for the signatures of the exported types. */
    private static URL[] urls() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path jar : Distribution.libJars()) {
            urls.add(jar.toUri().toURL());
        }
        urls.add(StrideModules.testkitJar().toUri().toURL());
        return urls.toArray(URL[]::new);
    }
}
