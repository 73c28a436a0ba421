package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import org.apiguardian.api.API;

/** Creates a hook from its config section, e.g. {@code { type = checkpoint, interval = 1 }}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface HookProvider extends Provider {
    /** The priority used when the config gives none. */
    default int defaultPriority() {
        return Priority.NORMAL.value();
    }

    /**
     * @param options the hook's section with the provider's defaults filled in ({@code type} and
     *     {@code priority} removed)
     * @throws dev.stride.runner.api.BadInputException when an option is invalid, naming it
     */
    Hook create(Config options);
}
