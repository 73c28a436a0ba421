module com.example.broken.needs {
    requires dev.stride.runner.api;
    requires com.example.textutils;

    provides dev.stride.runner.api.spi.HookProvider with com.example.broken.needs.SlugHookProvider;
}
