package dev.stride.engine.djl.optim;

import ai.djl.pytorch.jni.IValue;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ParamGroup;
import java.util.List;
import java.util.function.Function;

/**
 * SGD with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's {@code torch.optim.SGD}:
 * every parameter in one native call of torch.optim's own loop ({@link ScriptedStep}).
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
    protected void update(IValue params, Function<String, IValue> slots, long step) {
        // torch's momentum buffer is created at a parameter's first step, as a copy of the gradient
        ScriptedStep.SGD.run(params, slots.apply("momentum_buffer"), IValue.from(group.lr()), IValue.from(group.momentum()),
                IValue.from(dampening), IValue.from(weightDecay), IValue.from(nesterov), IValue.from(step == 1));
    }
}
