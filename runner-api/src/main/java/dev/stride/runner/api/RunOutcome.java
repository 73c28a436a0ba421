package dev.stride.runner.api;

import org.apiguardian.api.API;

/** How a run ended. */
@API(status = API.Status.STABLE, since = "0.1")
public enum RunOutcome {
    /** The workflow reached max-epochs / max-iters. */
    COMPLETED,
    /** A hook (early stopping) ended training; after-run hooks ran. */
    STOPPED,
    /** A stop was requested from outside (a signal); a checkpoint was saved if asked. */
    INTERRUPTED
}
