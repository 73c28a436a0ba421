package dev.stride.runner.api.spi;

/** Stands in for the SpiVersion of a future runner-api, compiled before the real runner-api jar. */
public final class SpiVersion {
    public static final int CURRENT = 3;

    private SpiVersion() {}
}
