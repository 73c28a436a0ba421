package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Stride's zero fill (zero_grad's) writes +0.0 over exactly the floats it is given, whatever their length and alignment. */
class ZeroKernelTest {
    @Test
    void everyFloatOfTheViewAndNothingElseBecomesPositiveZero() {
        assumeTrue(NativeKernels.available());
        float[] before = {Float.NaN, -0.0f, 1.5f, Float.NEGATIVE_INFINITY, -7f};
        for (int offset = 0; offset < 6; offset++) {
            for (int n : new int[] {0, 1, 3, 4, 5, 15, 16, 17, 31, 33, 64, 67, 1000, 235_146}) {
                int size = offset + n + 5;
                FloatBuffer all = ByteBuffer.allocateDirect(size * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = 0; i < size; i++) {
                    all.put(i, before[i % before.length]);
                }
                FloatBuffer view = all.duplicate().position(offset).limit(offset + n).slice();
                NativeKernels.zero(view);
                for (int i = 0; i < size; i++) {
                    int expected = i >= offset && i < offset + n ? 0 : Float.floatToRawIntBits(before[i % before.length]);
                    assertEquals(expected, Float.floatToRawIntBits(all.get(i)), "float " + i + " of " + n + " from " + offset);
                }
            }
        }
    }
}
