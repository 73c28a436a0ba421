package dev.stride.app;

import dev.stride.runner.api.support.ProviderRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stride list}: every provider found, with its module, version, jar and origin. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every runner, hook, model, dataset and optimizer found.")
final class ListCommand implements Callable<Integer> {
    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        ProviderRegistry registry = Plugins.registry(Plugins.folders(plugins));
        String format = "%-10s %-18s %-28s %-8s %-13s %s%n";
        System.out.printf(format, "KIND", "NAME", "MODULE", "VERSION", "ORIGIN", "JAR");
        for (ProviderRegistry.Entry e : registry.all()) {
            System.out.printf(format, e.kind().word(), e.name(), e.module(), e.version(), e.origin(), e.location());
        }
        return Main.DONE;
    }
}
