package dev.stride.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plain-Java example compiles (it is this module's test source), runs a real
 * training on the class path, and is the same text as in the README.
 */
class PlainJavaExampleTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theExampleTrainsAndSavesACheckpoint(@TempDir Path work) {
        Path file = PlainJavaExample.train(REPO.resolve("data/mnist-10k"), work);
        assertEquals("epoch_2.safetensors", file.getFileName().toString());
        Checkpoint ck = CheckpointFiles.read(file);
        assertEquals("2", ck.metadata().get("runner.epoch"));
        assertEquals("250", ck.metadata().get("runner.iter"));
        assertTrue(ck.tensors().containsKey("model.fc1.weight"));
        assertTrue(ck.tensors().containsKey("optimizer.fc1.weight.momentum_buffer"));
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws Exception {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/stride/app/PlainJavaExample.java"));
        String example = between(source, "// README-BEGIN", "// README-END");
        String readme = Files.readString(REPO.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(example), "README.md must contain the example of PlainJavaExample.java verbatim:\n" + example);
    }

    private static String between(List<String> lines, String begin, String end) {
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(begin)) {
                from = i + 1;
            } else if (lines.get(i).trim().equals(end)) {
                to = i;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines.subList(from, to)) {
            sb.append(l.length() >= 8 ? l.substring(8) : l.strip()).append('\n');
        }
        return sb.toString();
    }
}
