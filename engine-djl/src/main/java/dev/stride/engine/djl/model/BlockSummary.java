package dev.stride.engine.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import dev.stride.runner.api.ModelSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link ModelSummary} of an initialized DJL block: its top-level children with their
 * parameter counts, and their output shapes where DJL can tell them (the children of a
 * {@link SequentialBlock}, each fed the shape the one before returns; a child that cannot say
 * ends the chain). A block without children (a TorchScript module) is one row-less summary.
 */
public final class BlockSummary {
    private BlockSummary() {}

    /**
     * @param name what the model is, e.g. {@code mlp}
     * @param block the initialized block
     * @param input the shape of a batch, batch dimension first
     * @param output the shape the block returns for it
     * @param names the names the model gives some layers (identity keys)
     * @param trainable the arrays the optimizer updates
     */
    public static ModelSummary of(String name, Block block, Shape input, Shape output, Map<Block, String> names,
            Set<NDArray> trainable) {
        List<ModelSummary.Layer> layers = new ArrayList<>();
        Shape[] flowing = block instanceof SequentialBlock ? new Shape[] {input} : null;
        for (Pair<String, Block> child : block.getChildren()) {
            Block b = child.getValue();
            Shape out = null;
            if (flowing != null) {
                try {
                    flowing = b.getOutputShapes(flowing);
                    out = flowing.length == 1 ? flowing[0] : null;
                } catch (RuntimeException cannotTell) {
                    flowing = null;
                }
            }
            layers.add(new ModelSummary.Layer(names.getOrDefault(b, name(child.getKey(), b)), type(b),
                    out == null ? null : dims(out), count(b, null)));
        }
        return new ModelSummary(name, layers, dims(input), dims(output), count(block, null), count(block, trainable));
    }

    /** A child's key; DJL's own keys ({@code 02LambdaBlock}: position and class) say nothing the row does not. */
    private static String name(String key, Block b) {
        return key.matches("\\d+" + java.util.regex.Pattern.quote(b.getClass().getSimpleName())) ? "" : key;
    }

    private static String type(Block b) {
        if (b instanceof ai.djl.nn.LambdaBlock l && !ai.djl.nn.LambdaBlock.DEFAULT_NAME.equals(l.getName())) {
            return l.getName();
        }
        String simple = b.getClass().getSimpleName();
        return simple.isEmpty() ? b.getClass().getName() : simple;
    }

    private static long count(Block b, Set<NDArray> only) {
        long n = 0;
        for (Pair<String, Parameter> p : b.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (only == null || only.contains(a)) {
                n += a.size();
            }
        }
        return n;
    }

    /** The batch dimension as -1, whatever size the shape was taken with. */
    private static List<Long> dims(Shape s) {
        List<Long> d = new ArrayList<>();
        for (int i = 0; i < s.dimension(); i++) {
            d.add(i == 0 ? -1L : s.get(i));
        }
        return d;
    }
}
