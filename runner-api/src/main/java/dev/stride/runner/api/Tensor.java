package dev.stride.runner.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * An engine-neutral tensor: element type, shape and the raw little-endian bytes. This is what
 * models, optimizers and hooks hand to a checkpoint and get back from it.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Tensor {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    /**
     * @param data exactly {@code dtype.bytes() * product(shape)} bytes, little-endian; the
     *     buffer's position..limit is taken, the buffer itself is not copied
     */
    public Tensor(DType dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = byteSize(dtype, this.shape);
        if (expected != this.data.remaining()) {
            throw new IllegalArgumentException("a " + dtype + " tensor of shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + this.data.remaining());
        }
    }

    /** A float32 tensor holding {@code values}. */
    public static Tensor ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.F32, shape, b);
    }

    /** Bytes taken by a tensor of this type and shape; -1 when a dimension is negative or it overflows. */
    public static long byteSize(DType dtype, long[] shape) {
        long n = dtype.bytes();
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long byteSize() {
        return data.remaining();
    }

    /** The elements as floats; only for {@link DType#F32}. */
    public float[] toFloats() {
        if (dtype != DType.F32) {
            throw new IllegalStateException("not a F32 tensor: " + dtype);
        }
        float[] out = new float[data.remaining() / 4];
        data().asFloatBuffer().get(out);
        return out;
    }

    /** Same dtype, shape and bytes. */
    public boolean contentEquals(Tensor other) {
        return dtype == other.dtype && Arrays.equals(shape, other.shape) && data().equals(other.data());
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
