package dev.stride.launcher.spark;

/**
 * A rank could not complete a collective call: another rank died or hangs, or the native
 * collective failed. The task fails with it so that Spark retries the whole stage.
 */
final class CollectiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CollectiveException(String message) {
        super(message);
    }

    CollectiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
