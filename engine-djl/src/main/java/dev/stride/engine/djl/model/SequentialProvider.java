package dev.stride.engine.djl.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.engine.djl.DjlModel;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code sequential}: a network written as a list of layers in the config, run in order, as
 * PyTorch's {@code nn.Sequential}. Each layer is {@code { type = ..., options }}; every option is
 * checked, and each layer's input shape is worked out from the data's sample shape so that a
 * layer that cannot take it is named with both. The last {@code linear} may leave out
 * {@code units}: it then has one unit per class (or regression target) of the data. Parameter
 * names are those of the equivalent {@code nn.Sequential}: {@code <index>.weight},
 * {@code <index>.bias}, and for batch-norm also {@code <index>.running_mean} and
 * {@code <index>.running_var}.
 */
public final class SequentialProvider implements ModelProvider {
    /** Each layer type and its options with their defaults ({@code null}: required). */
    static final Map<String, Map<String, Object>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("linear", options("units", null, "bias", true));
        TYPES.put("conv2d", options("filters", null, "kernel", null, "stride", 1, "padding", 0, "dilation", 1, "groups", 1,
                "bias", true));
        TYPES.put("batch-norm", options("eps", 1e-5, "momentum", 0.1));
        TYPES.put("layer-norm", options("eps", 1e-5));
        TYPES.put("relu", options());
        TYPES.put("gelu", options());
        TYPES.put("tanh", options());
        TYPES.put("sigmoid", options());
        TYPES.put("dropout", options("p", 0.5));
        TYPES.put("max-pool", options("kernel", null, "stride", null, "padding", 0));
        TYPES.put("avg-pool", options("kernel", null, "stride", null, "padding", 0));
        TYPES.put("flatten", options());
    }

    private static Map<String, Object> options(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public String description() {
        return "layers listed in the config (linear, conv2d, batch-norm, layer-norm, activations, dropout, pools, flatten)";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Model create(Config options, DataSpec data, long seed) {
        List<? extends ConfigObject> layers;
        try {
            layers = options.getObjectList("layers");
        } catch (ConfigException.WrongType e) {
            throw new BadInputException(Settings.where(options, "layers") + "layers: a list of layers { type = ..., ... }, e.g."
                    + " [{ type = flatten }, { type = linear, units = 64 }, { type = relu }, { type = linear }]");
        }
        if (layers.isEmpty()) {
            throw new BadInputException(Settings.where(options, "layers") + "model sequential needs its layers, e.g. layers = ["
                    + "{ type = flatten }, { type = linear, units = 64 }, { type = relu }, { type = linear }]");
        }
        ModelOptions o = ModelOptions.of(options, data);
        long[] shape = new long[data.sampleShape().length + 1];
        shape[0] = -1;
        System.arraycopy(data.sampleShape(), 0, shape, 1, shape.length - 1);
        SequentialBlock net = new SequentialBlock();
        List<Block> blocks = new ArrayList<>();
        Block reluFirst = null;
        long parameters = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = Layer.of(layers.get(i), i, i == layers.size() - 1, o.outputs());
            shape = l.output(shape);
            parameters += l.parameters;
            blocks.add(l.block);
            if (reluFirst != null && l.afterRelu != null) {
                net.add(l.afterRelu); // the ReLU and this max pooling: the same numbers, with less work (MaxPooling)
                reluFirst = null;
                continue;
            }
            if (reluFirst != null) {
                net.add(reluFirst);
                reluFirst = null;
            }
            if (l.type.equals("relu")) {
                reluFirst = l.block; // added with the next layer, which may be a max pooling that takes it in
            } else {
                net.add(l.block);
            }
        }
        if (reluFirst != null) {
            net.add(reluFirst);
        }
        ModelOptions.checkSize(options, "sequential", parameters);
        DjlModel.Builder b = DjlModel.builder(net).title(o.title()).dataSpec(o.spec()).loss(o.loss()).metrics(o.metrics()).seed(seed);
        for (int i = 0; i < blocks.size(); i++) {
            for (Map.Entry<String, ai.djl.nn.Parameter> p : blocks.get(i).getDirectParameters().toMap().entrySet()) {
                b.name(i + "." + TORCH_NAMES.getOrDefault(p.getKey(), p.getKey()), p.getValue());
            }
        }
        long[] out = shape;
        if (out.length != 2 || out[1] != o.outputs()) {
            throw new BadInputException(Settings.where(options, "layers") + "model sequential: its last layer outputs "
                    + show(out) + " per batch, but the data needs [N, " + o.outputs() + "] (" + (data.isRegression()
                    ? data.targets() + " regression targets" : o.outputs() + " classes") + "): end the layers with"
                    + " { type = linear } (after a flatten for images), whose units then default to " + o.outputs());
        }
        try {
            return b.build();
        } catch (BadInputException e) {
            throw new BadInputException(Settings.where(options, "layers") + "model sequential: " + e.getMessage(), e);
        }
    }

    /** DJL's parameter names to PyTorch's. */
    private static final Map<String, String> TORCH_NAMES = Map.of("gamma", "weight", "beta", "bias",
            "runningMean", "running_mean", "runningVar", "running_var");

    static String show(long[] shape) {
        StringBuilder sb = new StringBuilder("[N");
        for (int i = 1; i < shape.length; i++) {
            sb.append(", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /** One layer of the list: its block, its checked options and the parameters it adds. */
    private static final class Layer {
        final String type;
        final Config c;
        final String at;
        Block block;
        /** For a max pooling: the block doing a ReLU and this pooling, for a ReLU just before it. */
        Block afterRelu;
        long parameters;
        long units;

        private Layer(String type, Config c, String at) {
            this.type = type;
            this.c = c;
            this.at = at;
        }

        static Layer of(ConfigObject object, int index, boolean last, int outputs) {
            Config c = object.toConfig();
            String at = Settings.where(object.origin()) + "layers[" + index + "]";
            if (!c.hasPath("type")) {
                throw new BadInputException(at + ": a layer needs its type, one of " + String.join(", ", TYPES.keySet()));
            }
            String type = c.getString("type");
            Map<String, Object> known = TYPES.get(type);
            if (known == null) {
                throw new BadInputException(Settings.where(c, "type") + "layers[" + index + "]: unknown layer type '" + type + "'"
                        + Settings.didYouMean(type, TYPES.keySet()) + "; the types are " + String.join(", ", TYPES.keySet()));
            }
            at = at + " (" + type + ")";
            for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
                if (!e.getKey().equals("type") && !known.containsKey(e.getKey())) {
                    throw new BadInputException(Settings.where(e.getValue().origin()) + "layers[" + index + "] (" + type
                            + "): unknown option '" + e.getKey() + "'" + Settings.didYouMean(e.getKey(), known.keySet())
                            + (known.isEmpty() ? "; it takes no options" : "; its options are " + String.join(", ",
                            new TreeSet<>(known.keySet()))));
                }
            }
            Layer l = new Layer(type, c, at);
            l.build(index, last, outputs);
            return l;
        }

        private BadInputException bad(String key, String why) {
            return new BadInputException((c.hasPath(key) ? Settings.where(c, key) + at.substring(at.indexOf("layers[")) : at)
                    + ": " + key + ": " + why);
        }

        private int integer(String key, int min, int fallback) {
            if (!c.hasPath(key)) {
                return fallback;
            }
            int v;
            try {
                v = c.getInt(key);
            } catch (ConfigException e) {
                throw bad(key, "expected a whole number, got " + describe(c.getValue(key)));
            }
            if (v < min || v > 1 << 20) {
                throw bad(key, v + " is outside " + min + ".." + (1 << 20));
            }
            return v;
        }

        private double number(String key, double min, double max, double fallback) {
            if (!c.hasPath(key)) {
                return fallback;
            }
            double v;
            try {
                v = c.getDouble(key);
            } catch (ConfigException e) {
                throw bad(key, "expected a number, got " + describe(c.getValue(key)));
            }
            if (!(v >= min && v <= max)) {
                throw bad(key, v + " is outside " + min + ".." + max);
            }
            return v;
        }

        private boolean flag(String key, boolean fallback) {
            if (!c.hasPath(key)) {
                return fallback;
            }
            try {
                return c.getBoolean(key);
            } catch (ConfigException e) {
                throw bad(key, "expected true or false, got " + describe(c.getValue(key)));
            }
        }

        /** A size for both spatial dimensions: {@code 3} or {@code [3, 5]}. */
        private long[] pair(String key, int min, long[] fallback) {
            if (!c.hasPath(key)) {
                if (fallback == null) {
                    throw new BadInputException(at + ": " + key + " is required, e.g. " + key + " = 3 or " + key + " = [3, 3]");
                }
                return fallback;
            }
            ConfigValue v = c.getValue(key);
            if (v.valueType() == ConfigValueType.LIST) {
                List<Integer> l;
                try {
                    l = c.getIntList(key);
                } catch (ConfigException e) {
                    throw bad(key, "expected a size or two, e.g. 3 or [3, 3], got " + describe(v));
                }
                if (l.size() != 2 || l.stream().anyMatch(x -> x < min || x > 1 << 16)) {
                    throw bad(key, l + " must be two sizes in " + min + ".." + (1 << 16) + ", or one");
                }
                return new long[] {l.get(0), l.get(1)};
            }
            long one = integer(key, min, 0);
            return new long[] {one, one};
        }

        private static String describe(ConfigValue v) {
            return v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.OBJECT ? "a " + v.valueType()
                    .name().toLowerCase(java.util.Locale.ROOT) : "'" + v.unwrapped() + "'";
        }

        private void build(int index, boolean last, int outputs) {
            switch (type) {
                case "linear" -> {
                    if (!c.hasPath("units") && !last) {
                        throw new BadInputException(at + ": units is required (only the last linear may leave it out; it then"
                                + " has one unit per class or target of the data)");
                    }
                    units = c.hasPath("units") ? integer("units", 1, 0) : outputs;
                    block = Linear.builder().setUnits(units).optBias(flag("bias", true)).build();
                }
                case "conv2d" -> {
                    if (!c.hasPath("filters")) {
                        throw new BadInputException(at + ": filters is required, e.g. filters = 8");
                    }
                    int filters = integer("filters", 1, 0);
                    long[] kernel = pair("kernel", 1, null);
                    block = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel))
                            .optStride(new Shape(pair("stride", 1, new long[] {1, 1})))
                            .optPadding(new Shape(pair("padding", 0, new long[] {0, 0})))
                            .optDilation(new Shape(pair("dilation", 1, new long[] {1, 1})))
                            .optGroups(integer("groups", 1, 1)).optBias(flag("bias", true)).build();
                }
                case "batch-norm" -> block = BatchNorm.builder().optEpsilon((float) number("eps", 1e-12, 1, 1e-5))
                        .optMomentum((float) (1 - number("momentum", 0, 1, 0.1))).build();
                case "layer-norm" -> block = LayerNorm.builder().optEpsilon((float) number("eps", 1e-12, 1, 1e-5)).build();
                case "relu" -> block = Activation.reluBlock();
                case "gelu" -> block = Activation.geluBlock();
                case "tanh" -> block = Activation.tanhBlock();
                case "sigmoid" -> block = Activation.sigmoidBlock();
                case "dropout" -> block = Dropout.builder().optRate((float) number("p", 0, 0.99, 0.5)).build();
                case "max-pool", "avg-pool" -> {
                    long[] kernel = pair("kernel", 1, null);
                    long[] stride = pair("stride", 1, kernel);
                    long[] padding = pair("padding", 0, new long[] {0, 0});
                    if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
                        throw bad("padding", Arrays.toString(padding) + " is more than half the kernel " + Arrays.toString(kernel));
                    }
                    block = type.equals("max-pool")
                            ? MaxPooling.block(new Shape(kernel), new Shape(stride), new Shape(padding))
                            : Pool.avgPool2dBlock(new Shape(kernel), new Shape(stride), new Shape(padding));
                    afterRelu = type.equals("max-pool") ? MaxPooling.afterRelu(new Shape(kernel), new Shape(stride), new Shape(padding)) : null;
                }
                case "flatten" -> block = Blocks.batchFlattenBlock();
                default -> throw new IllegalStateException(type);
            }
        }

        /** The shape this layer outputs for {@code in} ({@code in[0]} is the batch, -1), or why it cannot take it. */
        long[] output(long[] in) {
            String got = " gets " + show(in);
            switch (type) {
                case "linear" -> {
                    if (in.length < 2) {
                        throw new BadInputException(at + ": takes [N, features]," + got);
                    }
                    long[] out = in.clone();
                    out[out.length - 1] = units;
                    parameters = in[in.length - 1] * units + (flag("bias", true) ? units : 0);
                    return out;
                }
                case "conv2d", "max-pool", "avg-pool" -> {
                    if (in.length != 4) {
                        throw new BadInputException(at + ": takes images [N, channels, height, width]," + got
                                + (in.length == 2 ? " (flat samples: use linear layers, or image data)" : ""));
                    }
                    long[] kernel = pair("kernel", 1, null);
                    long[] stride = pair("stride", 1, type.equals("conv2d") ? new long[] {1, 1} : kernel);
                    long[] padding = pair("padding", 0, new long[] {0, 0});
                    long[] dilation = type.equals("conv2d") ? pair("dilation", 1, new long[] {1, 1}) : new long[] {1, 1};
                    long[] out = in.clone();
                    for (int d = 0; d < 2; d++) {
                        long size = in[2 + d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1;
                        out[2 + d] = size < 0 ? 0 : size / stride[d] + 1;
                        if (size < 0) {
                            throw new BadInputException(at + ": its kernel " + Arrays.toString(kernel) + " does not fit its"
                                    + " input " + show(in) + " (padding " + Arrays.toString(padding) + "): the output would be empty");
                        }
                    }
                    if (type.equals("conv2d")) {
                        int groups = integer("groups", 1, 1);
                        long filters = c.getLong("filters");
                        if (in[1] % groups != 0 || filters % groups != 0) {
                            throw new BadInputException(at + ": groups = " + groups + " must divide the input channels ("
                                    + in[1] + ") and the filters (" + filters + ")");
                        }
                        out[1] = filters;
                        parameters = filters * (in[1] / groups) * kernel[0] * kernel[1] + (flag("bias", true) ? filters : 0);
                    }
                    return out;
                }
                case "batch-norm", "layer-norm" -> {
                    if (in.length < 2) {
                        throw new BadInputException(at + ": takes [N, features...]," + got);
                    }
                    long n = 1;
                    for (int d = 1; d < in.length; d++) {
                        n *= d == 1 || type.equals("layer-norm") ? in[d] : 1;
                    }
                    parameters = 2 * n;
                    return in;
                }
                case "flatten" -> {
                    long n = 1;
                    for (int d = 1; d < in.length; d++) {
                        n *= in[d];
                    }
                    return new long[] {in[0], n};
                }
                default -> {
                    return in;
                }
            }
        }
    }
}
