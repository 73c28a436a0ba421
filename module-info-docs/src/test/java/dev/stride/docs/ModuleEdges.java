package dev.stride.docs;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The edges of the module graph as sentences, e.g. {@code dev.stride.app requires info.picocli},
 * {@code dev.stride.runner.api requires static transitive org.apiguardian.api},
 * {@code dev.stride.runner.epoch provides dev.stride.runner.api.spi.RunnerProvider}: what the
 * descriptors say, to compare with what the README draws.
 */
final class ModuleEdges {
    private ModuleEdges() {}

    /** The edges of one descriptor; {@code java.base} is left out (every module requires it). */
    static Set<String> of(ModuleDescriptor d) {
        Set<String> edges = new TreeSet<>();
        for (ModuleDescriptor.Requires r : d.requires()) {
            if (!r.name().equals("java.base")) {
                edges.add(requires(d.name(), r.modifiers().stream()
                        .filter(m -> m != ModuleDescriptor.Requires.Modifier.MANDATED)
                        .map(m -> m.name().toLowerCase()).collect(Collectors.toSet()), r.name()));
            }
        }
        d.provides().forEach(p -> edges.add(d.name() + " provides " + p.service()));
        d.uses().forEach(u -> edges.add(d.name() + " uses " + u));
        return edges;
    }

    /** {@code a requires [static] [transitive] b}, modifiers in that order. */
    static String requires(String from, Set<String> modifiers, String to) {
        StringBuilder sb = new StringBuilder(from).append(" requires");
        new TreeSet<>(modifiers).forEach(m -> sb.append(' ').append(m));
        return sb.append(' ').append(to).toString();
    }
}
