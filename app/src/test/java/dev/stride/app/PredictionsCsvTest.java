package dev.stride.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stride.runner.api.DataSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionsCsvTest {
    @Test
    void aClassifiersRowsNameTheMostProbableClassAndKeepEveryProbabilityExactly() {
        PredictionsCsv csv = new PredictionsCsv(DataSpec.classes(new long[] {4}, List.of("setosa", "versi,color", "vir\"ginica")));
        assertEquals("index,class,name,p_setosa,\"p_versi,color\",\"p_vir\"\"ginica\"\n", csv.header());
        assertEquals("0,1,\"versi,color\",0.1,0.7,0.2\n", csv.row(0, new float[] {0.1f, 0.7f, 0.2f}));
        assertEquals("7,0,setosa,0.4,0.4,0.2\n", csv.row(7, new float[] {0.4f, 0.4f, 0.2f}), "the first of equals");
        float tiny = 1.1754944E-38f;
        String[] cells = csv.row(9, new float[] {tiny, 0f, 1f}).strip().split(",");
        assertEquals(tiny, Float.parseFloat(cells[3]), "read back to the same float");
        assertEquals(List.of("9", "2", "\"vir\"\"ginica\""), List.of(cells).subList(0, 3));
    }

    @Test
    void unnamedClassesAreNumbered() {
        PredictionsCsv csv = new PredictionsCsv(new DataSpec(new long[] {1, 28, 28}, 3));
        assertEquals("index,class,name,p_0,p_1,p_2\n", csv.header());
        assertEquals("3,2,2,0.0,0.25,0.75\n", csv.row(3, new float[] {0f, 0.25f, 0.75f}));
    }

    @Test
    void aRegressionWritesItsValues() {
        assertEquals("index,value\n", new PredictionsCsv(DataSpec.regression(new long[] {10}, 1)).header());
        assertEquals("4,151.25\n", new PredictionsCsv(DataSpec.regression(new long[] {10}, 1)).row(4, new float[] {151.25f}));
        PredictionsCsv two = new PredictionsCsv(DataSpec.regression(new long[] {10}, 2));
        assertEquals("index,value_0,value_1\n", two.header());
        assertEquals("0,-1.5,2.0\n", two.row(0, new float[] {-1.5f, 2f}));
    }

    @Test
    void samplesReadFromFilesAreNamedAfterTheIndex() {
        PredictionsCsv csv = new PredictionsCsv(DataSpec.classes(new long[] {1, 2, 2}, List.of("cat", "dog")), true);
        assertEquals("index,file,class,name,p_cat,p_dog\n", csv.header());
        assertEquals("0,a/1.png,1,dog,0.25,0.75\n", csv.row(0, "a/1.png", new float[] {0.25f, 0.75f}));
        assertEquals("1,\"b,c.png\",0,cat,1.0,0.0\n", csv.row(1, "b,c.png", new float[] {1f, 0f}));
        assertThrows(IllegalStateException.class, () -> csv.row(2, new float[] {1f, 0f}), "a row without its file");
        PredictionsCsv values = new PredictionsCsv(DataSpec.regression(new long[] {1, 2, 2}, 1), true);
        assertEquals("index,file,value\n", values.header());
        assertEquals("3,x.png,-2.5\n", values.row(3, "x.png", new float[] {-2.5f}));
    }

    @Test
    void aModelGivingAnotherNumberOfValuesIsABug() {
        PredictionsCsv csv = new PredictionsCsv(new DataSpec(new long[] {2}, 3));
        assertThrows(IllegalStateException.class, () -> csv.row(0, new float[] {1f, 0f}));
    }
}
