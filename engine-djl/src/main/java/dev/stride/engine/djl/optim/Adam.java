package dev.stride.engine.djl.optim;

import ai.djl.pytorch.jni.IValue;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ParamGroup;
import java.util.List;
import java.util.function.Function;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (L2 weight decay added to the gradient) or, with
 * {@code decoupled}, {@code torch.optim.AdamW}. beta1 is the param group's momentum, so momentum
 * schedules drive it as in MMCV. Every parameter in one native call of torch.optim's own loop
 * (torch 1.13's form; {@link ScriptedStep}).
 */
final class Adam extends DjlOptimizer {
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    Adam(Model model, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(model, new ParamGroup("default", lr, beta1), List.of("exp_avg", "exp_avg_sq"));
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void update(IValue params, Function<String, IValue> slots, long step) {
        ScriptedStep.ADAM.run(params, slots.apply("exp_avg"), slots.apply("exp_avg_sq"), IValue.from(step),
                IValue.from(group.lr()), IValue.from(group.momentum()), IValue.from(beta2), IValue.from(eps),
                IValue.from(weightDecay), IValue.from(decoupled));
    }
}
