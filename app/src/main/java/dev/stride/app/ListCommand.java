package dev.stride.app;

import dev.stride.launcher.ProviderRegistry;
import dev.stride.launcher.job.Plugins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stride list}: every provider found, with its kind, name, module, version, origin and jar. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every runner, hook, model, dataset and optimizer found, with the jar it came from.")
final class ListCommand implements Callable<Integer> {
    private static final String[] HEADER = {"KIND", "NAME", "MODULE", "VERSION", "ORIGIN", "JAR"};

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        List<Path> folders = Plugins.folders(plugins);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ProviderRegistry.Entry e : Plugins.load(folders).all()) {
            rows.add(new String[] {e.kind().word(), e.name(), e.module(), e.version(), Plugins.origin(e, folders), e.location()});
        }
        print(rows);
        return Main.DONE;
    }

    /** Left-aligned columns as wide as their widest cell; the last column is not padded. */
    private static void print(List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                sb.append(String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            sb.append(row[row.length - 1]).append(System.lineSeparator());
        }
        System.out.print(sb);
    }
}
