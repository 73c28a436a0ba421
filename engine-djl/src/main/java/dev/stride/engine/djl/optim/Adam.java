package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ParamGroup;
import java.util.List;
import java.util.Map;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (L2 weight decay added to the gradient) or, with
 * {@code decoupled}, {@code torch.optim.AdamW}. beta1 is the param group's momentum, so momentum
 * schedules drive it as in MMCV.
 */
final class Adam extends DjlOptimizer {
    private final double beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;

    Adam(Model model, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(model, new ParamGroup("default", lr, beta1), List.of("exp_avg", "exp_avg_sq"));
        this.beta2 = beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void updateAll() {
        params.forEach((name, w) -> update(w, w.getGradient(), slots.get(name)));
    }

    private void update(NDArray w, NDArray g, Map<String, NDArray> state) {
        double lr = group.lr();
        double beta1 = group.momentum();
        NDArray grad = g;
        if (weightDecay != 0) {
            if (decoupled) {
                w.muli((float) (1 - lr * weightDecay));
            } else {
                grad = g.add(w.mul(weightDecay));
            }
        }
        NDArray m = state.get("exp_avg");
        NDArray v = state.get("exp_avg_sq");
        m.muli((float) beta1).addi(grad.mul((float) (1 - beta1)));
        v.muli((float) beta2).addi(grad.square().mul((float) (1 - beta2)));
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        NDArray denom = v.sqrt().div((float) Math.sqrt(bc2)).add(eps);
        w.subi(m.div(denom).mul((float) (lr / bc1)));
    }
}
