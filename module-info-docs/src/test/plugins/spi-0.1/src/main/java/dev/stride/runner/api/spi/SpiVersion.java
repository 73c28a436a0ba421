package dev.stride.runner.api.spi;

/** Stands in for the SpiVersion of Stride 0.1's runner-api, compiled before the real runner-api jar. */
public final class SpiVersion {
    public static final int CURRENT = 1;

    private SpiVersion() {}
}
