package dev.stride.runner.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {
    private static final ModelSummary MLP = new ModelSummary("mlp", List.of(
            new ModelSummary.Layer("flatten", "LambdaBlock", List.of(-1L, 784L), 0),
            new ModelSummary.Layer("fc1", "Linear", List.of(-1L, 256L), 200_960),
            new ModelSummary.Layer("relu", "LambdaBlock", null, 0),
            new ModelSummary.Layer("out", "Linear", List.of(-1L, 10L), 2_570)),
            List.of(-1L, 1L, 28L, 28L), List.of(-1L, 10L), 203_530, 203_530);

    @Test
    void aTableWithAlignedColumnsShapesAndTotals() {
        assertEquals("""
                Model: mlp
                  #  Layer    Type         Output shape   Params
                  0  flatten  LambdaBlock  [N, 784]            0
                  1  fc1      Linear       [N, 256]      200,960
                  2  relu     LambdaBlock  ?                   0
                  3  out      Linear       [N, 10]         2,570
                  Input: [N, 1, 28, 28]  Output: [N, 10]
                  Parameters: 203,530 (trainable 203,530, other 0)""", MLP.table());
    }

    @Test
    void aModelWithoutVisibleLayersPrintsItsShapesAndTotals() {
        ModelSummary opaque = new ModelSummary("torchscript model.pt", List.of(), List.of(-1L, 3L), List.of(-1L, 1L), 10, 4);
        assertEquals("""
                Model: torchscript model.pt
                  Input: [N, 3]  Output: [N, 1]
                  Parameters: 10 (trainable 4, other 6)""", opaque.table());
    }

    @Test
    void moreTrainableThanAllParametersIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new ModelSummary("m", List.of(), List.of(), List.of(), 1, 2));
    }
}
