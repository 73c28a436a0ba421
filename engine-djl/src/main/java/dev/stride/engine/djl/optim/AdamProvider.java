package dev.stride.engine.djl.optim;

/** {@code adam}: torch.optim.Adam. */
public final class AdamProvider extends AdamFamilyProvider {
    public AdamProvider() {
        super("adam", false);
    }
}
