package dev.stride.engine.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDManager;
import com.typesafe.config.Config;
import dev.stride.engine.djl.DjlModel;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code torchscript}: a model exported from PyTorch with {@code torch.jit.script} or
 * {@code torch.jit.trace} and saved, trained from its weights (fine-tuned, or from scratch when
 * they are the initial ones). Loaded straight from the file, never from a model zoo. Every
 * parameter trains unless a {@code freeze} regex matches its name. Checkpoint tensors carry the
 * module's {@code state_dict} names, buffers included, so PyTorch loads Stride's weights back with
 * {@code module.load_state_dict}.
 */
public final class TorchScriptProvider implements ModelProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TorchScriptProvider.class);

    @Override
    public String name() {
        return "torchscript";
    }

    @Override
    public String description() {
        return "a TorchScript file exported from PyTorch (torch.jit.script or trace): file, freeze, input-shape";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Model create(Config options, DataSpec data, long seed) {
        if (options.getIsNull("file")) {
            throw new BadInputException(Settings.where(options.origin()) + "model torchscript needs its file: set"
                    + " file = \"path/to/model.pt\" (relative to the working directory)");
        }
        Path file = Path.of(options.getString("file"));
        String what = Settings.where(options, "file") + "model torchscript: file " + file;
        long[] shape = inputShape(options, data);
        List<Pattern> freeze = patterns(options);
        ModelOptions o = ModelOptions.of(options, shape == null ? data : new DataSpec(shape, data.numClasses(),
                data.classNames(), data.targets()));
        PtNDManager manager = (PtNDManager) Djl.manager().newSubManager();
        try {
            TorchScriptFile.Loaded loaded = TorchScriptFile.load(file, manager, what);
            if (loaded.traced() && !loaded.buffers().isEmpty()) {
                LOG.warn("{} was made with torch.jit.trace and has buffers {}: a trace keeps BatchNorm in the mode it was"
                        + " traced in (usually eval), so training normalises with the running statistics and never updates"
                        + " them. Export with torch.jit.script to train it.", file, loaded.buffers().keySet());
            }
            List<String> names = new ArrayList<>(loaded.block().getParameters().keys());
            for (Pattern p : freeze) {
                if (names.stream().noneMatch(n -> p.matcher(n).find())) {
                    throw new BadInputException(Settings.where(options, "freeze") + "freeze: '" + p + "' matches no parameter of "
                            + file + "; its parameters are " + names);
                }
            }
            DjlModel.Builder b = DjlModel.builder(loaded.block()).title(o.title()).dataSpec(o.spec()).loss(o.loss()).metrics(o.metrics())
                    .seed(seed).manager(manager).trainable(n -> freeze.stream().noneMatch(p -> p.matcher(n).find()));
            for (Map.Entry<String, NDArray> e : loaded.buffers().entrySet()) {
                b.buffer(e.getKey(), e.getValue());
            }
            DjlModel model;
            try {
                model = b.build();
            } catch (BadInputException e) {
                throw new BadInputException(what + ": " + e.getMessage()
                        + (shape == null ? ". That is the data's sample shape: set input-shape if the model takes another, or use data"
                        + " whose samples fit" : ""), e);
            }
            int frozen = model.parameters().size() - model.trainableParameters().size() - loaded.buffers().size();
            long values = model.trainableParameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
            LOG.info("Loaded {}: {} parameters ({} trainable, {} values), {} buffers{}", file, names.size(),
                    model.trainableParameters().size(), values, loaded.buffers().size(),
                    frozen > 0 ? "; frozen by " + freeze + ": " + frozen : "");
            return model;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The {@code input-shape} option, or null for the data's. */
    private static long[] inputShape(Config options, DataSpec data) {
        if (options.getIsNull("input-shape")) {
            return null;
        }
        List<Integer> dims;
        try {
            dims = options.getIntList("input-shape");
        } catch (com.typesafe.config.ConfigException e) {
            throw new BadInputException(Settings.where(options, "input-shape") + "input-shape: a list of sizes of one sample,"
                    + " e.g. [1, 28, 28]");
        }
        if (dims.isEmpty() || dims.size() > 8 || dims.stream().anyMatch(d -> d < 1 || d > 1 << 20)) {
            throw new BadInputException(Settings.where(options, "input-shape") + "input-shape: " + dims
                    + " must list 1 to 8 sizes of one sample (without the batch), e.g. [1, 28, 28]");
        }
        long[] shape = dims.stream().mapToLong(Integer::longValue).toArray();
        if (!Arrays.equals(shape, data.sampleShape())) {
            LOG.info("model torchscript takes samples of shape {}; the data's are {}", Arrays.toString(shape),
                    Arrays.toString(data.sampleShape()));
        }
        return shape;
    }

    private static List<Pattern> patterns(Config options) {
        List<Pattern> out = new ArrayList<>();
        for (String regex : options.getStringList("freeze")) {
            try {
                out.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new BadInputException(Settings.where(options, "freeze") + "freeze: '" + regex
                        + "' is not a valid regular expression: " + e.getDescription());
            }
        }
        return out;
    }
}
