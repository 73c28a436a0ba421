package dev.stride.runner.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a model is made of, printed when a run starts and by {@code --dry-run}, as Keras'
 * {@code summary()} and Lightning's ModelSummary do: its layers with their output shapes and
 * parameter counts, the input and output shapes, and the totals.
 *
 * <p>Shapes include the batch dimension, written {@code -1} ({@code N} when printed). A layer whose
 * output shape the engine cannot tell has {@code null}.
 *
 * @param model what the model is, e.g. {@code mlp} or the class of a user's block
 * @param layers the top-level layers in order; empty when the engine cannot look inside the model
 * @param input the shape of a batch the model takes
 * @param output the shape of what it returns for that batch
 * @param parameters every value the model keeps (weights, biases, running statistics)
 * @param trainable those of them the optimizer updates
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record ModelSummary(String model, List<Layer> layers, List<Long> input, List<Long> output, long parameters,
        long trainable) {
    /**
     * One layer.
     *
     * @param name its name in the model (checkpoint tensors of its parameters start with it)
     * @param type what kind of layer it is, e.g. {@code Linear}
     * @param output its output shape, {@code null} when unknown
     * @param parameters the values it keeps, its sub-layers' included
     */
    public record Layer(String name, String type, @Nullable List<Long> output, long parameters) {
        public Layer {
            output = output == null ? null : List.copyOf(output);
        }
    }

    public ModelSummary {
        layers = List.copyOf(layers);
        input = List.copyOf(input);
        output = List.copyOf(output);
        if (trainable > parameters || trainable < 0) {
            throw new IllegalArgumentException(trainable + " trainable of " + parameters + " parameters");
        }
    }

    /** The summary as a table, one line per layer, then the shapes and the totals. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "Layer", "Type", "Output shape", "Params"});
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            rows.add(new String[] {Integer.toString(i), l.name(), l.type(), l.output() == null ? "?" : shape(l.output()),
                    count(l.parameters())});
        }
        int[] width = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder("Model: ").append(model).append('\n');
        if (!layers.isEmpty()) {
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder("  ");
                for (int c = 0; c < row.length; c++) {
                    boolean right = c == 0 || c == 4;
                    String cell = right ? " ".repeat(width[c] - row[c].length()) + row[c] : row[c];
                    line.append(cell);
                    if (c < row.length - 1) {
                        line.append(right ? "  " : " ".repeat(width[c] - row[c].length() + 2));
                    }
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
        }
        sb.append("  Input: ").append(shape(input)).append("  Output: ").append(shape(output)).append('\n');
        sb.append("  Parameters: ").append(count(parameters)).append(" (trainable ").append(count(trainable))
                .append(", other ").append(count(parameters - trainable)).append(')');
        return sb.toString();
    }

    /** {@code [N, 1, 28, 28]}: the batch dimension ({@code -1}) as N. */
    public static String shape(List<Long> shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(shape.get(i) < 0 ? "N" : Long.toString(shape.get(i)));
        }
        return sb.append(']').toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
