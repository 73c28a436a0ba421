package dev.stride.app;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stride inspect FILE}: verifies a checkpoint and prints its metadata and tensors as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Verify a checkpoint and print its metadata and tensor list as JSON.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHECKPOINT")
    Path file;

    @Override
    public Integer call() throws Exception {
        Checkpoint ck = CheckpointFiles.read(file);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("bytes", Files.size(file));
        out.put("verified", true);
        out.put("metadata", ck.metadata());
        Map<String, Object> tensors = new LinkedHashMap<>();
        ck.tensors().forEach((name, t) -> tensors.put(name, describe(t)));
        out.put("tensors", tensors);
        System.out.println(Json.write(out));
        return Main.DONE;
    }

    private static Map<String, Object> describe(Tensor t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", t.dtype().name());
        List<Long> shape = new ArrayList<>();
        for (long d : t.shape()) {
            shape.add(d);
        }
        m.put("shape", shape);
        return m;
    }
}
