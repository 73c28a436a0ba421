package dev.stride.engine.djl.optim;

/** {@code adamw}: torch.optim.AdamW. */
public final class AdamWProvider extends AdamFamilyProvider {
    public AdamWProvider() {
        super("adamw", true);
    }
}
