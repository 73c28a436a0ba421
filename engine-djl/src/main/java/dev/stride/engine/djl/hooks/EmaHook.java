package dev.stride.engine.djl.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.typesafe.config.Config;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.model.Djl;
import dev.stride.engine.djl.model.DjlTensors;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.support.Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ema}: an exponential moving average of the parameters, as MMCV's EMAHook: after every
 * {@code interval}-th train iteration, {@code ema = (1 - m) * ema + m * param} with
 * {@code m = min(momentum, (1 + iter) / (warm-up + iter))}. With {@code evaluate-with-ema} the
 * averages replace the parameters from the end of each train epoch to the start of the next, so
 * val epochs and the eval hook see them (MMCV swaps the same way). The averages and whether they
 * are swapped in are saved in checkpoints ({@code ema.<param>} tensors).
 */
public final class EmaHook implements Hook {
    private final double momentum;
    private final int interval;
    private final double warmUp;
    private final boolean evaluateWithEma;
    private Map<String, NDArray> params;
    private final Map<String, NDArray> shadows = new LinkedHashMap<>();
    private NDManager manager;
    private boolean swapped;
    private Checkpoint.Section restored;

    /** {@code ema}, or the {@code id} the config gives it: the key of its state in checkpoints. */
    private final String name;

    public EmaHook(Config options) {
        this.name = Settings.hookName(options, "ema");
        this.momentum = Settings.doubleIn(options, "momentum", 0, 1);
        this.interval = Settings.intIn(options, "interval", 1, Integer.MAX_VALUE);
        this.warmUp = Settings.doubleIn(options, "warm-up", 0, Double.MAX_VALUE);
        this.evaluateWithEma = options.getBoolean("evaluate-with-ema");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void beforeRun(Runner runner) {
        if (!(runner.model() instanceof DjlModel model)) {
            throw new BadInputException("hook ema needs a model of the DJL engine");
        }
        params = model.trainableParameters();
        if (manager != null) {
            manager.close();
            shadows.clear();
        }
        manager = Djl.manager().newSubManager();
        Djl.noGrad(() -> params.forEach((name, w) -> {
            NDArray copy = w.duplicate();
            copy.attach(manager);
            shadows.put(name, copy);
        }));
        if (restored != null) {
            shadows.forEach((name, s) -> {
                Tensor t = restored.tensor(name);
                if (t == null) {
                    throw new BadInputException("the checkpoint has no ema." + name + "; was it saved without the ema hook?");
                }
                Djl.noGrad(() -> DjlTensors.copyInto(t, s, "ema." + name));
            });
            swapped = Boolean.parseBoolean(restored.get("swapped"));
            restored = null;
        }
    }

    @Override
    public void afterTrainIter(Runner runner) {
        long step = runner.iter();
        double m = Math.min(momentum, (1 + step) / (warmUp + step));
        if (step % interval != 0) {
            return;
        }
        Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                params.forEach((name, w) -> shadows.get(name).muli((float) (1 - m)).addi(w.mul((float) m)));
            }
        });
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        if (evaluateWithEma && !swapped) {
            swap();
        }
    }

    @Override
    public void beforeTrainEpoch(Runner runner) {
        if (swapped) {
            swap();
        }
    }

    @Override
    public void afterRun(Runner runner) {
        if (swapped) {
            swap();
        }
        // the averages stay alive: a checkpoint may still be taken after the run
    }

    private void swap() {
        Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                params.forEach((name, w) -> {
                    NDArray s = shadows.get(name);
                    NDArray keep = w.duplicate();
                    DjlTensors.assign(w, s);
                    DjlTensors.assign(s, keep);
                });
            }
        });
        swapped = !swapped;
    }

    /** The averages, by parameter name (for tests and evaluation). */
    public Map<String, NDArray> shadows() {
        return shadows;
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.put("swapped", Boolean.toString(swapped));
        shadows.forEach((name, s) -> state.putTensor(name, DjlTensors.toTensor(s)));
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        restored = state;
    }
}
