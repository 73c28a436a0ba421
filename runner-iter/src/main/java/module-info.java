/** The iteration-based runner strategy, named {@code iter}: workflow counts are iterations. */
module dev.stride.runner.iter {
    requires dev.stride.runner.api;

    provides dev.stride.runner.api.spi.RunnerProvider with dev.stride.runner.iter.IterRunnerProvider;
}
