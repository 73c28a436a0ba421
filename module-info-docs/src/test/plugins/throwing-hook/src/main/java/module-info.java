module com.example.broken.throwing {
    requires dev.stride.runner.api;

    provides dev.stride.runner.api.spi.HookProvider with com.example.broken.throwing.LicensedHookProvider;
}
