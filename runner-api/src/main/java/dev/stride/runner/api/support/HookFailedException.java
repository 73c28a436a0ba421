package dev.stride.runner.api.support;

import dev.stride.runner.api.Hook;
import org.apiguardian.api.API;

/** A hook threw: a bug in the hook (or a fault it met), reported with where it happened. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class HookFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Hook hook;
    private final Stage stage;

    HookFailedException(Hook hook, Stage stage, int epoch, long iter, Throwable cause) {
        super("hook '" + hook.name() + "' (" + hook.getClass().getName() + ") failed in " + stage.methodName()
                + " at epoch " + (epoch + 1) + ", iter " + iter + ": " + cause, cause);
        this.hook = hook;
        this.stage = stage;
    }

    public Hook hook() {
        return hook;
    }

    public Stage stage() {
        return stage;
    }
}
