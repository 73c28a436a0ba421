/** The epoch-based runner strategy, named {@code epoch}: workflow counts are epochs. */
module dev.stride.runner.epoch {
    requires dev.stride.runner.api;

    provides dev.stride.runner.api.spi.RunnerProvider with dev.stride.runner.epoch.EpochRunnerProvider;
}
