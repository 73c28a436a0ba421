package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ParamGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's {@code torch.optim.SGD}:
 * every parameter in one native call of torch.optim's own loop ({@link SgdStep}).
 */
final class Sgd extends DjlOptimizer {
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    Sgd(Model model, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(model, new ParamGroup("default", lr, momentum), List.of("momentum_buffer"));
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected void updateAll() {
        List<NDArray> ws = new ArrayList<>(params.size());
        List<NDArray> grads = new ArrayList<>(params.size());
        List<NDArray> buffers = new ArrayList<>(params.size());
        params.forEach((name, w) -> {
            ws.add(w);
            grads.add(w.getGradient());
            buffers.add(slots.get(name).get("momentum_buffer"));
        });
        SgdStep.run(ws, grads, buffers, group.lr(), group.momentum(), dampening, weightDecay, nesterov, steps == 1);
    }
}
