package dev.stride.runner.api.spi;

import org.apiguardian.api.API;

/** The version of the provider SPI. */
@API(status = API.Status.STABLE, since = "0.1")
public final class SpiVersion {
    /**
     * Bumped on incompatible changes: 1 for Stride 0.1, 2 since 0.2. A constant, so it is inlined into each provider's class at
     * compile time: a provider's {@link Provider#spiVersion()} reports the version it was built
     * against when it overrides the method with {@code return SpiVersion.CURRENT;}.
     */
    public static final int CURRENT = 2;

    private SpiVersion() {}
}
