package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import org.junit.jupiter.api.Test;

/** npy: the fixtures NumPy wrote (src/test/resources/npy/make_fixtures.py), every dtype, .npz, and each broken file named. */
class NpyDataTest {
    static final String DIR = "src/test/resources/npy/";

    static DataLoader npy(String hocon, Mode mode) {
        var p = new DataLoaderTest.DatasetProviderHolder(new NpyProvider());
        return p.provider().create(DataLoaderTest.options(hocon, p), mode, 5);
    }

    /** x = arange(36).reshape(6, 2, 3) / 4 - 2. */
    static float[] expected(double scale, double offset) {
        float[] x = new float[36];
        for (int i = 0; i < 36; i++) {
            x[i] = (float) ((i / 4.0 - 2) * scale + offset);
        }
        return x;
    }

    @Test
    void everyDtypeReadsAsFloat32WithItsShapeAndLabels() {
        DataLoader l = npy("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_i8.npy\", batch-size = 6", Mode.TRAIN);
        assertArrayEquals(new long[] {2, 3}, l.spec().sampleShape());
        assertEquals(3, l.spec().numClasses(), "the largest label + 1");
        float[][] b = CsvDataTest.all(l);
        assertArrayEquals(expected(1, 0), b[0]);
        assertArrayEquals(new float[] {0, 2, 1, 2, 0, 1}, b[1]);
        for (String f : new String[] {"x_f8.npy", "x_be.npy", "x_v2.npy"}) {
            assertArrayEquals(expected(1, 0), CsvDataTest.all(npy("x = \"" + DIR + f + "\", y = \"" + DIR + "y_u1.npy\", batch-size = 6",
                    Mode.TRAIN))[0], f);
        }
        assertArrayEquals(expected(4, 8), CsvDataTest.all(npy("x = \"" + DIR + "x_u1.npy\", y = \"" + DIR + "y_i8.npy\"", Mode.TRAIN))[0]);
        assertArrayEquals(expected(4, 0), CsvDataTest.all(npy("x = \"" + DIR + "x_i4.npy\", y = \"" + DIR + "y_i8.npy\"", Mode.TRAIN))[0]);
        float[] bools = CsvDataTest.all(npy("x = \"" + DIR + "x_b1.npy\", y = \"" + DIR + "y_i8.npy\"", Mode.TRAIN))[0];
        float[] e = expected(1, 0);
        for (int i = 0; i < 36; i++) {
            assertEquals(e[i] > 0 ? 1f : 0f, bools[i]);
        }
        float[] scaled = CsvDataTest.all(npy("x = \"" + DIR + "x_u1.npy\", y = \"" + DIR + "y_i8.npy\", scale = 0.25, shape = [6]",
                Mode.TRAIN))[0];
        assertArrayEquals(expected(1, 2), scaled);
    }

    @Test
    void npzArchivesStoredOrCompressed() {
        DataLoader a = npy("file = \"" + DIR + "data.npz\", classes = [a, b, c]", Mode.TRAIN);
        assertEquals(java.util.List.of("a", "b", "c"), a.spec().classNames());
        assertArrayEquals(expected(1, 0), CsvDataTest.all(a)[0]);
        DataLoader c = npy("file = \"" + DIR + "data_compressed.npz\", x-key = inputs, y-key = labels", Mode.TRAIN);
        assertArrayEquals(new float[] {0, 2, 1, 2, 0, 1}, CsvDataTest.all(c)[1]);
        BadInputException e = assertThrows(BadInputException.class, () -> npy("file = \"" + DIR + "data_compressed.npz\"", Mode.TRAIN));
        assertTrue(e.getMessage().contains("holds no array 'x'") && e.getMessage().contains("[inputs, labels]"), e.getMessage());
    }

    @Test
    void regressionTargetsAndStandardisationFromTheTrainData() {
        DataLoader r = npy("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_reg.npy\", task = regression, standardize = true",
                Mode.TRAIN);
        assertEquals(2, r.spec().targets());
        float[][] b = CsvDataTest.all(r);
        assertArrayEquals(new float[] {0, -0f, 3, -2, 1.5f, -1, 3, -2, 0, -0f, 1.5f, -1}, b[1]);
        // each element standardised over the 6 samples: element 0 takes the values -2, -0.5 ... 5.5 (mean 1.75,
        // population variance 1.5^2 * 35/12)
        assertEquals((float) ((-2 - 1.75) / Math.sqrt(2.25 * 35 / 12)), b[0][0], 1e-6f);
        Checkpoint ck = new Checkpoint();
        r.saveState(ck.section("data.", "data."));
        DataLoader v = npy("x = \"" + DIR + "x_f8.npy\", y = \"" + DIR + "y_reg.npy\", task = regression, standardize = true",
                Mode.VAL);
        v.loadState(ck.section("data.", "data."));
        assertArrayEquals(b[0], CsvDataTest.all(v)[0], 1e-6f);
    }

    @Test
    void valLabelsTakeTheTrainDataClassCount() {
        DataLoader t = npy("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_i8.npy\", num-classes = 10", Mode.TRAIN);
        assertEquals(10, t.spec().numClasses());
        DataLoader v = npy("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_i8.npy\"", Mode.VAL);
        assertEquals(3, v.spec().numClasses());
        Checkpoint ck = new Checkpoint();
        t.saveState(ck.section("data.", "data."));
        v.loadState(ck.section("data.", "data."));
        assertEquals(10, v.spec().numClasses());
    }

    private static String bad(String hocon) {
        return assertThrows(BadInputException.class, () -> npy(hocon, Mode.TRAIN)).getMessage();
    }

    @Test
    void brokenFilesAreNamedWithWhatIsWrong() {
        String y = ", y = \"" + DIR + "y_i8.npy\"";
        String m = bad("x = \"" + DIR + "truncated.npy\"" + y);
        assertTrue(m.contains("truncated.npy is truncated: its header promises float32 [6, 2, 3] = 144 bytes of data, but it has 134"), m);
        m = bad("x = \"" + DIR + "fortran.npy\"" + y);
        assertTrue(m.contains("fortran.npy is stored in Fortran (column-major) order"), m);
        m = bad("x = \"" + DIR + "complex.npy\"" + y);
        assertTrue(m.contains("complex.npy has the dtype '<c8'"), m);
        m = bad("x = \"" + DIR + "structured.npy\"" + y);
        assertTrue(m.contains("structured.npy holds a structured array"), m);
        m = bad("x = \"" + DIR + "trailing.npy\"" + y);
        assertTrue(m.contains("trailing.npy has bytes after the 144"), m);
        m = bad("x = \"" + DIR + "not_npy.npy\"" + y);
        assertTrue(m.contains("not_npy.npy is not a NumPy .npy array"), m);
        m = bad("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_five.npy\"");
        assertTrue(m.contains("disagree: 6 inputs but 5 targets"), m);
        m = bad("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_float_labels.npy\"");
        assertTrue(m.contains("y_float_labels.npy holds float32 values; class labels must be integers"), m);
        m = bad("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_i8.npy\", num-classes = 2");
        assertTrue(m.contains("the label 2 of sample 1 is outside 0..1"), m);
        m = bad("x = \"" + DIR + "x_f4.npy\", y = \"" + DIR + "y_i8.npy\", shape = [5]");
        assertTrue(m.contains("shape: [5] does not hold the 6 values"), m);
        m = bad("x = \"" + DIR + "x_f4.npy\"");
        assertTrue(m.contains("data.train needs targets"), m);
        m = bad("x = \"" + DIR + "nothing.npy\"" + y);
        assertTrue(m.contains("nothing.npy does not exist"), m);
        m = bad("file = \"" + DIR + "x_f4.npy\"");
        assertTrue(m.contains("is not a readable .npz (zip) archive"), m);
    }
}
