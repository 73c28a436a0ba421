package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.IValue;
import dev.stride.engine.djl.model.DjlTensors;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ParamGroup;
import java.util.List;
import java.util.function.Function;

/**
 * SGD with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's {@code torch.optim.SGD}:
 * every parameter in one pass of Stride's kernel where it gives the bits of torch.optim's own loop
 * on this machine ({@link SgdKernel}), else in one native call of that loop ({@link ScriptedStep}).
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
        run(params, slots.apply("momentum_buffer"), group.lr(), group.momentum(), dampening, weightDecay, nesterov, step == 1);
    }

    /** torch.optim's loop over {@code params} (with gradients) and their momentum buffers, in one native call of the script. */
    static void run(IValue params, IValue buffers, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov, boolean first) {
        // torch's momentum buffer is created at a parameter's first step, as a copy of the gradient
        ScriptedStep.SGD.run(params, buffers, IValue.from(lr), IValue.from(momentum), IValue.from(dampening),
                IValue.from(weightDecay), IValue.from(nesterov), IValue.from(first));
    }

    /** The warm-up also probes which SGD kernel gives the script's bits here, off the first step's path. */
    @Override
    void rehearse() {
        super.rehearse();
        SgdKernel.form();
    }

    /** With Stride's kernel where it gives the script's bits on this machine ({@link SgdKernel}), else the script. */
    @Override
    public void step() {
        SgdKernel.Form form = SgdKernel.form();
        if (form == SgdKernel.Form.SCRIPT || !float32) {
            super.step();
            return;
        }
        steps++;
        boolean first = steps == 1;
        try (NDScope scope = new NDScope()) {
            params.forEach((name, w) -> {
                NDArray grad = w.getGradient();
                NDArray buffer = slots.get(name).get("momentum_buffer");
                SgdKernel.apply(form == SgdKernel.Form.FUSED, DjlTensors.view(w), DjlTensors.view(grad), DjlTensors.view(buffer),
                        w.size(), group.lr(), group.momentum(), dampening, weightDecay, nesterov, first);
            });
        }
    }
}
