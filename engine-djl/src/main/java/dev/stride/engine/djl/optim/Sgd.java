package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ParamGroup;
import java.util.List;
import java.util.Map;

/** SGD with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's {@code torch.optim.SGD}. */
final class Sgd extends DjlOptimizer {
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;

    Sgd(Model model, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(model, new ParamGroup("default", lr, momentum), List.of("momentum_buffer"));
        this.dampening = (float) dampening;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected void update(NDArray w, NDArray g, Map<String, NDArray> state) {
        float lr = (float) group.lr();
        float momentum = (float) group.momentum();
        NDArray d = weightDecay != 0 ? g.add(w.mul(weightDecay)) : g;
        if (momentum != 0) {
            NDArray buf = state.get("momentum_buffer");
            if (steps == 1) {
                buf.muli(0).addi(d);
            } else {
                buf.muli(momentum).addi(dampening != 0 ? d.mul(1 - dampening) : d);
            }
            d = nesterov ? d.add(buf.mul(momentum)) : buf;
        }
        w.subi(d.mul(lr));
    }
}
