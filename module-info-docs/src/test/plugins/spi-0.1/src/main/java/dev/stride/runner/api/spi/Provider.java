package dev.stride.runner.api.spi;

/**
 * Stands in for the Provider of Stride 0.1's runner-api, where spiVersion() had a default: a
 * provider compiled against it need not implement the method, so it lacks it at run time.
 */
public interface Provider {
    String name();

    default String description() {
        return "";
    }

    default int spiVersion() {
        return SpiVersion.CURRENT;
    }
}
