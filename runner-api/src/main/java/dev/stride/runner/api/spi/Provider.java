package dev.stride.runner.api.spi;

import org.apiguardian.api.API;

/**
 * A named factory found by {@link java.util.ServiceLoader}. Names are unique per kind; a config
 * selects a provider by its name ({@code type = epoch}).
 *
 * <p>A provider class is public, has a public no-argument constructor and is declared twice:
 * {@code provides ... with ...} in its {@code module-info.java} and a {@code META-INF/services}
 * file, so it is found on the module path and on the class path alike. Its defaults live in its
 * module's {@code reference.conf} under {@link ProviderKind#defaultsPath(String)}; options a
 * user writes that are not there are rejected as unknown.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Provider {
    /** Lower-case words joined by {@code -}, e.g. {@code text-logger}. */
    String name();

    /** One line for {@code stride list}. */
    default String description() {
        return "";
    }

    /**
     * The version of this SPI the provider was compiled against. Implement it as
     * {@code return SpiVersion.CURRENT;}: javac copies the constant into the provider's class, so the
     * value is the version the plugin was built for, not the version of the runner-api it runs with
     * (after SLF4J's {@code SLF4JServiceProvider.getRequestedApiVersion()}). Stride refuses a
     * provider of another version, naming its jar; a provider built before this method existed
     * (SPI version 1) is refused the same way.
     */
    int spiVersion();
}
