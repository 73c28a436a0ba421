package com.example.stride.gatedmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A custom DJL block: a gated dense layer, {@code value(x) * sigmoid(gate(x))}, from two linear
 * layers of {@code units} outputs (the gated linear unit of Dauphin et al.). Its parameters are its
 * two children's weights and biases.
 */
public final class GatedDense extends AbstractBlock {
    private final Linear value;
    private final Linear gate;
    private final long units;

    public GatedDense(long units) {
        this.units = units;
        this.value = addChildBlock("value", Linear.builder().setUnits(units).build());
        this.gate = addChildBlock("gate", Linear.builder().setUnits(units).build());
    }

    /** The linear layer whose output is let through. */
    public Linear value() {
        return value;
    }

    /** The linear layer whose sigmoid gates the value. */
    public Linear gate() {
        return gate;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray v = value.forward(store, inputs, training).singletonOrThrow();
        NDArray g = gate.forward(store, inputs, training).singletonOrThrow();
        return new NDList(v.mul(Activation.sigmoid(g)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        value.initialize(manager, dataType, inputShapes);
        gate.initialize(manager, dataType, inputShapes);
    }
}
