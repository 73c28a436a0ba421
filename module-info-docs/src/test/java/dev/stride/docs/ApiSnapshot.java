package dev.stride.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The exported API of each Stride module (the distribution's and runner-testkit), as text: one line per public type of an unqualified
 * export (kind, name, supertypes, {@code @API} status) and one per public or protected member
 * ({@code toGenericString()}), sorted. Two snapshots differ exactly where the API changed.
 *
 * <p>{@code main(dir)} writes one {@code <module>.api} file per module into {@code dir}.
 */
final class ApiSnapshot {
    private ApiSnapshot() {}

    public static void main(String[] args) throws Exception {
        write(Path.of(args[0]));
    }

    /** Writes the current snapshot into {@code dir}, one file per module; removes files of modules that are gone. */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<String>> api = current();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (f.toString().endsWith(".api") && !api.containsKey(moduleOf(f))) {
                    Files.delete(f);
                }
            }
        }
        for (Map.Entry<String, List<String>> e : api.entrySet()) {
            Files.write(dir.resolve(e.getKey() + ".api"), e.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** A snapshot written by {@link #write}, by module. */
    static Map<String, List<String>> read(Path dir) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.toString().endsWith(".api")) {
                    out.put(moduleOf(f), Files.readAllLines(f, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String moduleOf(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".api".length());
    }

    /** The API of every Stride module of the distribution's lib/ folder, by module name. */
    static Map<String, List<String>> current() throws IOException {
        ModuleFinder finder = StrideModules.publishedFinder();
        Map<String, java.lang.module.ModuleReference> modules = StrideModules.published();
        Set<String> stride = modules.keySet();
        Set<String> roots = new TreeSet<>(stride);
        roots.add("org.apiguardian.api"); // required static: resolved only as a root, so @API can be read
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Map<String, List<String>> out = new TreeMap<>();
        for (String name : stride) {
            Module module = layer.findModule(name).orElseThrow();
            ModuleDescriptor d = module.getDescriptor();
            Set<String> exported = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
            List<String> lines = new ArrayList<>();
            for (String className : classes(StrideModules.jar(modules.get(name)))) {
                String pkg = className.substring(0, className.lastIndexOf('.'));
                if (!exported.contains(pkg)) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(className, false, layer.findLoader(name));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                if (isVisible(type)) {
                    describe(type, lines);
                }
            }
            lines.sort(null);
            out.put(name, lines);
        }
        return out;
    }

    /** Public, and every enclosing type public too. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    private static void describe(Class<?> type, List<String> lines) {
        String name = type.getName();
        StringBuilder head = new StringBuilder(name).append(" : ").append(kind(type));
        TypeVariable<?>[] params = type.getTypeParameters();
        if (params.length > 0) {
            head.append(Arrays.stream(params).map(ApiSnapshot::typeParameter).collect(Collectors.joining(", ", "<", ">")));
        }
        Type sup = type.getGenericSuperclass();
        if (sup != null && sup != Object.class && !type.isEnum() && !type.isRecord()) {
            head.append(" extends ").append(sup.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            head.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        status(type.getDeclaredAnnotations()).ifPresent(s -> head.append(" @API(").append(s).append(')'));
        lines.add(head.toString());
        Set<String> members = new TreeSet<>();
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (exposed(c.getModifiers(), type) && !c.isSynthetic()) {
                members.add(c.toGenericString());
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (exposed(m.getModifiers(), type) && !m.isSynthetic() && !m.isBridge()) {
                members.add(m.toGenericString() + status(m.getDeclaredAnnotations()).map(s -> " @API(" + s + ")").orElse(""));
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (exposed(f.getModifiers(), type) && !f.isSynthetic()) {
                members.add(f.toGenericString());
            }
        }
        // "... void a.b.Type.method(...)" reads "... void method(...)" under its type's name
        members.forEach(m -> lines.add(name + " | " + m.replace(name + ".", "")));
    }

    /** Public, or protected in a type that can be extended. */
    private static boolean exposed(int modifiers, Class<?> type) {
        return Modifier.isPublic(modifiers)
                || Modifier.isProtected(modifiers) && !Modifier.isFinal(type.getModifiers()) && !type.isEnum() && !type.isRecord();
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isRecord()) {
            return "record";
        }
        if (type.isEnum()) {
            return "enum";
        }
        if (type.isInterface()) {
            return type.isSealed() ? "sealed interface" : "interface";
        }
        String mods = Modifier.isAbstract(type.getModifiers()) ? "abstract class"
                : Modifier.isFinal(type.getModifiers()) ? "final class" : "class";
        return type.isSealed() ? "sealed " + mods : mods;
    }

    private static String typeParameter(TypeVariable<?> v) {
        Type[] bounds = v.getBounds();
        if (bounds.length == 1 && bounds[0] == Object.class) {
            return v.getName();
        }
        return v.getName() + " extends " + Arrays.stream(bounds).map(Type::getTypeName).collect(Collectors.joining(" & "));
    }

    /** {@code STABLE since 0.1} of apiguardian's {@code @API}, read by reflection (the annotation is not on our path). */
    private static java.util.Optional<String> status(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals("org.apiguardian.api.API")) {
                try {
                    Object status = a.annotationType().getMethod("status").invoke(a);
                    Object since = a.annotationType().getMethod("since").invoke(a);
                    return java.util.Optional.of(status + ("".equals(since) ? "" : " since " + since));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The class names of a jar, outer before nested. */
    private static List<String> classes(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
