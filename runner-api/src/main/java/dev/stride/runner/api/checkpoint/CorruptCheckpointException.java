package dev.stride.runner.api.checkpoint;

import dev.stride.runner.api.BadInputException;
import java.nio.file.Path;
import org.apiguardian.api.API;

/** A checkpoint file that is missing, truncated, tampered with or not a safetensors file. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CorruptCheckpointException extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptCheckpointException(Path file, String problem) {
        super("checkpoint " + file + " cannot be used: " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
