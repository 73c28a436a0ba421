package dev.stride.launcher;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apiguardian.api.API;

/**
 * Loads a model's weights from a checkpoint to start a new run from them (MMCV's
 * {@code load_from}, not a resume: epoch 0, a fresh optimizer and schedule). Tensor names are
 * revised first ({@code revise-keys}: regex renames, applied in order, as MMCV's
 * {@code revise_keys}); with {@code strict}, a parameter missing from the file or a file tensor
 * the model lacks is an error, otherwise both are reported and the model keeps its own values.
 * A shape mismatch is always an error naming the tensor and both shapes.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ModelWeights {
    private ModelWeights() {}

    /** A regex rename of tensor names: {@code ["^module\\.", ""]}. */
    public record Rename(Pattern pattern, String replacement) {
        /** @throws BadInputException when the regex is not valid */
        public static Rename of(String regex, String replacement) {
            try {
                return new Rename(Pattern.compile(regex), replacement);
            } catch (PatternSyntaxException e) {
                throw new BadInputException("revise-keys: '" + regex + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }

        String apply(String name) {
            return pattern.matcher(name).replaceAll(replacement);
        }
    }

    /** What was loaded, what the model has that the file lacks, what the file has that the model lacks. */
    public record Report(List<String> loaded, List<String> missing, List<String> unexpected) {}

    /**
     * Copies the file's model tensors into {@code model}. Tensors named {@code model.*} are taken
     * (a Stride checkpoint); a file without any (e.g. exported from PyTorch) gives all its tensors.
     */
    public static Report load(Model model, Path file, boolean strict, List<Rename> revise) {
        return load(model, file, strict, revise, "load-from " + file);
    }

    /**
     * {@link #load(Model, Path, boolean, List)}, naming the weights in messages as {@code source}
     * says: the option or key that gave the file, e.g. {@code "--checkpoint work/epoch_4.safetensors"}.
     */
    public static Report load(Model model, Path file, boolean strict, List<Rename> revise, String source) {
        Checkpoint weights = CheckpointFiles.read(file);
        boolean stride = weights.tensors().keySet().stream().anyMatch(n -> n.startsWith("model."));
        Map<String, Tensor> given = new LinkedHashMap<>();
        weights.tensors().forEach((name, t) -> {
            if (!stride || name.startsWith("model.")) {
                String n = stride ? name.substring("model.".length()) : name;
                for (Rename r : revise) {
                    n = r.apply(n);
                }
                given.put(n, t);
            }
        });
        Checkpoint own = new Checkpoint();
        model.saveState(own.section("model.", "model."));
        Checkpoint target = new Checkpoint();
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (String name : own.section("model.", "model.").tensorNames()) {
            Tensor mine = own.tensors().get("model." + name);
            Tensor theirs = given.remove(name);
            if (theirs == null) {
                missing.add(name);
                target.putTensor("model." + name, mine);
            } else if (!Arrays.equals(mine.shape(), theirs.shape()) || mine.dtype() != theirs.dtype()) {
                mismatched.add(Printable.of(name) + ": " + theirs.dtype() + Arrays.toString(theirs.shape()) + " in " + file.getFileName()
                        + " but " + mine.dtype() + Arrays.toString(mine.shape()) + " in the model");
            } else {
                loaded.add(name);
                target.putTensor("model." + name, theirs);
            }
        }
        List<String> unexpected = new ArrayList<>(given.keySet());
        if (!mismatched.isEmpty()) {
            throw new BadInputException(source + ": tensor shapes differ from the model's: "
                    + String.join("; ", mismatched));
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new BadInputException(source + " (strict): "
                    + (missing.isEmpty() ? "" : "the file lacks " + missing + ". ")
                    + (unexpected.isEmpty() ? "" : "the model has no " + Printable.of(unexpected) + ". ")
                    + "Rename tensors with revise-keys, or set strict = false to load what matches.");
        }
        model.loadState(target.section("model.", "model."));
        return new Report(loaded, missing, unexpected);
    }
}
