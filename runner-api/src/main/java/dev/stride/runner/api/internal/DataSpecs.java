package dev.stride.runner.api.internal;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link DataSpec} as the JSON of a checkpoint's {@code data.spec} metadata, so that
 * {@code stride predict} and {@code stride test} rebuild the model from the checkpoint alone:
 * {@code {"sample_shape":[1,28,28],"num_classes":10,"class_names":[],"targets":0}}.
 */
public final class DataSpecs {
    /** The checkpoint metadata key. */
    public static final String KEY = "data.spec";

    private DataSpecs() {}

    public static String toJson(DataSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Long> shape = new ArrayList<>();
        for (long d : spec.sampleShape()) {
            shape.add(d);
        }
        m.put("sample_shape", shape);
        m.put("num_classes", spec.numClasses());
        m.put("class_names", spec.classNames());
        m.put("targets", spec.targets());
        return Json.write(m);
    }

    /** @throws BadInputException naming {@code where} when the text is not such JSON */
    public static DataSpec fromJson(String json, String where) {
        try {
            if (!(Json.parse(json) instanceof Map<?, ?> m) || !(m.get("sample_shape") instanceof List<?> shape)
                    || !(m.get("num_classes") instanceof Number classes) || !(m.get("targets") instanceof Number targets)
                    || !((m.containsKey("class_names") ? m.get("class_names") : (Object) List.of()) instanceof List<?> names)) {
                throw new BadInputException(where + ": the data spec is not {sample_shape, num_classes, class_names, targets}");
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!(shape.get(i) instanceof Number d) || d.longValue() <= 0) {
                    throw new BadInputException(where + ": the data spec's sample_shape is not a list of positive sizes");
                }
                dims[i] = d.longValue();
            }
            List<String> classNames = new ArrayList<>();
            for (Object n : names) {
                classNames.add(String.valueOf(n));
            }
            return new DataSpec(dims, classes.intValue(), classNames, targets.intValue());
        } catch (Json.SyntaxException | IllegalArgumentException e) {
            throw new BadInputException(where + ": the data spec cannot be read: " + e.getMessage());
        }
    }
}
