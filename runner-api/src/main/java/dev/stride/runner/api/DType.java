package dev.stride.runner.api;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/** Element types of a {@link Tensor}, named as in the safetensors format. */
@API(status = API.Status.STABLE, since = "0.1")
public enum DType {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype of this safetensors name, or {@code null} when Stride does not know it. */
    public static @Nullable DType fromName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
