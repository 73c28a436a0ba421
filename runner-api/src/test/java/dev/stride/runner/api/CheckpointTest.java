package dev.stride.runner.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    @Test
    void sectionsPrefixMetadataAndTensors() {
        Checkpoint ck = new Checkpoint();
        Checkpoint.Section model = ck.section("model.", "model.");
        Checkpoint.Section hook = ck.section("hook.ema.", "ema.");
        model.putTensor("w", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        hook.putTensor("w", Tensor.ofFloats(new long[] {2}, new float[] {3, 4}));
        hook.put("count", 12);
        hook.put("decay", 0.1 + 0.2);
        hook.put("name", "x");

        assertEquals(List.of("model.w", "ema.w"), List.copyOf(ck.tensors().keySet()));
        assertArrayEquals(new float[] {1, 2}, model.tensor("w").toFloats());
        assertArrayEquals(new float[] {3, 4}, hook.tensor("w").toFloats());
        assertNull(model.tensor("b"));
        assertEquals(List.of("w"), model.tensorNames());
        assertEquals("12", ck.metadata().get("hook.ema.count"));
        assertEquals(12, hook.getLong("count", -1));
        assertEquals(0.1 + 0.2, hook.getDouble("decay", 0), 0.0, "doubles are stored exactly");
        assertEquals(-1, hook.getLong("missing", -1));
        assertTrue(hook.has("name"));
        assertFalse(model.has("name"));
    }

    @Test
    void aTensorNameWrittenTwiceIsABug() {
        Checkpoint ck = new Checkpoint();
        ck.putTensor("a", Tensor.ofFloats(new long[] {1}, new float[] {1}));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ck.section("", "").putTensor("a", Tensor.ofFloats(new long[] {1}, new float[] {2})));
        assertTrue(e.getMessage().contains("a"), e.getMessage());
    }

    @Test
    void withoutTensorsDropsAPrefixOnly() {
        Checkpoint ck = new Checkpoint();
        ck.putTensor("model.w", Tensor.ofFloats(new long[] {1}, new float[] {1}));
        ck.putTensor("optimizer.w.momentum", Tensor.ofFloats(new long[] {1}, new float[] {1}));
        ck.putMetadata("k", "v");
        Checkpoint slim = ck.withoutTensors("optimizer.");
        assertEquals(List.of("model.w"), List.copyOf(slim.tensors().keySet()));
        assertEquals("v", slim.metadata().get("k"));
        assertEquals(2, ck.tensors().size());
        assertThrows(UnsupportedOperationException.class, () -> ck.tensors().clear());
    }

    @Test
    void tensorChecksItsByteCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tensor(DType.F32, new long[] {2, 2}, ByteBuffer.allocate(15)));
        assertTrue(e.getMessage().contains("16"), e.getMessage());
        Tensor scalar = new Tensor(DType.I64, new long[0], ByteBuffer.allocate(8));
        assertEquals(8, scalar.byteSize());
        assertEquals(0, new Tensor(DType.U8, new long[] {0, 5}, ByteBuffer.allocate(0)).byteSize());
        assertEquals(-1, Tensor.byteSize(DType.F32, new long[] {-1}));
        assertEquals(-1, Tensor.byteSize(DType.F64, new long[] {Long.MAX_VALUE / 2, 4}));
        assertEquals(2 * 3 * 2, Tensor.byteSize(DType.BF16, new long[] {2, 3}));
    }

    @Test
    void tensorContentAndFloats() {
        Tensor a = Tensor.ofFloats(new long[] {3}, new float[] {1.5f, -0f, Float.NaN});
        Tensor b = Tensor.ofFloats(new long[] {3}, new float[] {1.5f, -0f, Float.NaN});
        Tensor c = Tensor.ofFloats(new long[] {3}, new float[] {1.5f, 0f, Float.NaN});
        Tensor d = Tensor.ofFloats(new long[] {1, 3}, new float[] {1.5f, -0f, Float.NaN});
        assertTrue(a.contentEquals(b));
        assertFalse(a.contentEquals(c), "-0 and 0 differ in bits");
        assertFalse(a.contentEquals(d), "shapes differ");
        assertEquals(1.5f, a.data().getFloat(0));
        assertThrows(IllegalStateException.class, () -> new Tensor(DType.I32, new long[] {1}, ByteBuffer.allocate(4)).toFloats());
        assertTrue(a.data().isReadOnly());
    }
}
