module com.example.broken.oldapi {
    requires dev.stride.runner.api;

    provides dev.stride.runner.api.spi.HookProvider with com.example.broken.oldapi.OldHookProvider;
}
