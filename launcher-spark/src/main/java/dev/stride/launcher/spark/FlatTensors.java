package dev.stride.launcher.spark;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DType;
import dev.stride.runner.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The float32 tensors of a checkpoint section laid end to end in one array, in name order (the
 * same on every rank, whatever order the engine keeps them in), and back.
 */
final class FlatTensors {
    private final List<String> names;
    private final List<long[]> shapes;
    private final int[] offsets;
    private final float[] values;

    private FlatTensors(List<String> names, List<long[]> shapes, int[] offsets, float[] values) {
        this.names = names;
        this.shapes = shapes;
        this.offsets = offsets;
        this.values = values;
    }

    /** The float32 tensors of {@code section}; others (integer buffers) are left out. */
    static FlatTensors of(Checkpoint.Section section) {
        List<String> names = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (String name : section.tensorNames().stream().sorted().toList()) {
            Tensor t = section.tensor(name);
            if (t.dtype() == DType.F32) {
                names.add(name);
                tensors.add(t);
            }
        }
        int[] offsets = new int[names.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            long next = offsets[i] + tensors.get(i).byteSize() / 4;
            if (next > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than 2^31 parameters do not fit one allreduce");
            }
            offsets[i + 1] = (int) next;
        }
        float[] values = new float[offsets[names.size()]];
        List<long[]> shapes = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            tensors.get(i).data().asFloatBuffer().get(values, offsets[i], offsets[i + 1] - offsets[i]);
            shapes.add(tensors.get(i).shape());
        }
        return new FlatTensors(names, shapes, offsets, values);
    }

    /** The numbers, to change in place. */
    float[] values() {
        return values;
    }

    /** A new section holding the tensors with the current numbers. */
    Checkpoint.Section toSection(String metaPrefix, String tensorPrefix) {
        Checkpoint.Section out = new Checkpoint().section(metaPrefix, tensorPrefix);
        for (int i = 0; i < names.size(); i++) {
            float[] part = new float[offsets[i + 1] - offsets[i]];
            System.arraycopy(values, offsets[i], part, 0, part.length);
            out.putTensor(names.get(i), Tensor.ofFloats(shapes.get(i), part));
        }
        return out;
    }
}
