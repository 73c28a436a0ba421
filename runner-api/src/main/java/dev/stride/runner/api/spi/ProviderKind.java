package dev.stride.runner.api.spi;

import java.util.List;
import org.apiguardian.api.API;

/** The kinds of providers Stride looks up by name. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ProviderKind {
    RUNNER("runner", RunnerProvider.class),
    HOOK("hook", HookProvider.class),
    MODEL("model", ModelProvider.class),
    DATASET("dataset", DatasetProvider.class),
    OPTIMIZER("optimizer", OptimizerProvider.class);

    public static final List<ProviderKind> ALL = List.of(values());

    private final String word;
    private final Class<? extends Provider> type;

    ProviderKind(String word, Class<? extends Provider> type) {
        this.word = word;
        this.type = type;
    }

    /** {@code runner}, {@code hook} ... */
    public String word() {
        return word;
    }

    public Class<? extends Provider> type() {
        return type;
    }

    /** Where a provider's defaults live in its module's {@code reference.conf}: {@code stride.hook.checkpoint}. */
    public String defaultsPath(String name) {
        return "stride." + word + ".\"" + name + "\"";
    }
}
