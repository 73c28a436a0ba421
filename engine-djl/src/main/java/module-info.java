/**
 * Stride's default compute engine on DJL and PyTorch: the {@code mlp} and {@code lenet} models,
 * the {@code mnist-idx} and {@code synthetic} data sets, and the {@code sgd}, {@code adam} and
 * {@code adamw} optimizers, whose whole state goes into checkpoints, and the {@code ema} hook. Config users reach
 * everything through its providers; Java users wrap any DJL block and data set with the API of
 * {@code dev.stride.engine.djl}.
 */
module dev.stride.engine.djl {
    requires transitive dev.stride.runner.api;
    requires transitive ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires ai.djl.model_zoo;
    // glibc's mallopt, to keep the memory libtorch frees for reuse (model.NativeMemory)
    requires com.sun.jna;
    // javax.imageio decodes the JPEG (and unusual PNG) files of the image-folder data set
    requires java.desktop;

    exports dev.stride.engine.djl;

    provides dev.stride.runner.api.spi.ModelProvider with
            dev.stride.engine.djl.model.MlpProvider,
            dev.stride.engine.djl.model.LeNetProvider,
            dev.stride.engine.djl.model.TorchScriptProvider,
            dev.stride.engine.djl.model.ResNetProvider,
            dev.stride.engine.djl.model.MobileNetProvider,
            dev.stride.engine.djl.model.VggProvider,
            dev.stride.engine.djl.model.AlexNetProvider,
            dev.stride.engine.djl.model.GoogLeNetProvider,
            dev.stride.engine.djl.model.SequentialProvider;
    provides dev.stride.runner.api.spi.DatasetProvider with
            dev.stride.engine.djl.data.MnistIdxProvider,
            dev.stride.engine.djl.data.SyntheticProvider,
            dev.stride.engine.djl.data.ImageFolderProvider,
            dev.stride.engine.djl.data.CsvProvider,
            dev.stride.engine.djl.data.NpyProvider;
    provides dev.stride.runner.api.spi.OptimizerProvider with
            dev.stride.engine.djl.optim.SgdProvider,
            dev.stride.engine.djl.optim.AdamProvider,
            dev.stride.engine.djl.optim.AdamWProvider;
    provides dev.stride.runner.api.spi.HookProvider with
            dev.stride.engine.djl.hooks.EmaProvider;
    // loads libtorch while the command line reads the config and the data
    provides dev.stride.runner.api.internal.Preload with
            dev.stride.engine.djl.model.EnginePreload;
}
