package dev.stride.runner.api;

import org.apiguardian.api.API;

/**
 * A mistake of the user, not a bug: a bad config value, an unknown name, a missing or corrupt
 * file. Its message is a sentence that says what is wrong, where, and how to fix it; the command
 * line prints it without a stack trace and exits with status 2.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
