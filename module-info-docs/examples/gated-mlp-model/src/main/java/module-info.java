/**
 * A Stride model plugin: {@code gated-mlp}, a network with a custom DJL block, wrapped as a Stride
 * model with engine-djl's {@code DjlModel}. It exports nothing; Stride finds the model through its
 * provider.
 */
module com.example.stride.gatedmlp {
    requires dev.stride.engine.djl;

    provides dev.stride.runner.api.spi.ModelProvider with com.example.stride.gatedmlp.GatedMlpProvider;
}
