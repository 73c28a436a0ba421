package dev.stride.launcher.job;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The work dir of a run, made ready once the config is known to be valid. */
public final class WorkDir {
    private static final Logger LOG = LoggerFactory.getLogger("stride");
    /** The folder of the work dir that keeps the checkpoints of earlier runs a new run from scratch set aside. */
    public static final String EARLIER = "earlier";
    /** The resolved config of the run, written to the work dir when it starts (as MMCV and Hydra do). */
    public static final String CONFIG = "config.conf";

    private WorkDir() {}

    /** The locks of a run's folders, released together. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Creates the folder, checks that it can be written, removes the temp files a killed run left. */
    public static void prepare(Path dir) {
        createWritable(dir);
        removeLeftovers(dir);
    }

    /**
     * Makes the work dir ready for a run that owns it: creates it, checks that it can be written,
     * locks it (and each checkpoint folder outside it) for this process, and only then removes the
     * temp files a killed run left in it and in the checkpoint folders.
     *
     * @param checkpointDirs the folders checkpoints go to ({@link JobPlan#checkpointDirs})
     * @param command this run's command line, for the message a second run gets
     * @throws BadInputException when the folder cannot be written or another run holds it
     */
    public static Held open(Path dir, List<Path> checkpointDirs, String command) {
        createWritable(dir);
        List<WorkDirLock> locks = new ArrayList<>();
        Held held = () -> locks.forEach(WorkDirLock::close);
        try {
            locks.add(WorkDirLock.acquire(dir, command));
            Path root = dir.toAbsolutePath().normalize();
            for (Path d : checkpointDirs) {
                Path abs = d.toAbsolutePath().normalize();
                if (!abs.startsWith(root) && Files.isDirectory(abs)) {
                    locks.add(WorkDirLock.acquire(abs, command));
                }
            }
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        removeLeftovers(dir);
        for (Path d : checkpointDirs) {
            if (!d.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                removeLeftovers(d);
            }
        }
        return held;
    }

    private static void createWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new BadInputException("the work dir " + dir + " cannot be written (" + e.getMessage()
                    + "): choose another with --work-dir DIR");
        }
    }

    private static void removeLeftovers(Path dir) {
        int removed = AtomicFiles.removeLeftovers(dir);
        if (removed > 0) {
            LOG.info("Removed {} unfinished checkpoint file(s) a killed run left in {}", removed, dir);
        }
    }

    /**
     * Before a run from scratch: moves the checkpoints an earlier run left in the checkpoint folders
     * (and {@code last_checkpoint}) into {@code <work-dir>/earlier/<time>/}, keeping their places
     * relative to the work dir (a folder outside the work dir keeps its own {@code earlier/<time>/}),
     * so the new run overwrites none of them. Nothing is deleted.
     *
     * @param why the end of the log line: why the run starts from scratch
     * @return the files moved, at their new places
     */
    public static List<Path> setAside(Path dir, List<Path> checkpointDirs, String why) {
        Path root = dir.toAbsolutePath().normalize();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        Path target = unused(root.resolve(EARLIER).resolve(stamp));
        List<Path[]> moves = new ArrayList<>();
        for (Path d : checkpointDirs) {
            Path abs = d.toAbsolutePath().normalize();
            List<Path> files = checkpoints(abs);
            Path outside = abs.startsWith(root) || files.isEmpty() ? null : unused(abs.resolve(EARLIER).resolve(stamp));
            for (Path f : files) {
                moves.add(new Path[] {f, outside == null ? target.resolve(root.relativize(f)) : outside.resolve(f.getFileName())});
            }
        }
        if (moves.isEmpty()) {
            return List.of();
        }
        int checkpoints = moves.size();
        for (String f : List.of(CheckpointFiles.LATEST, CONFIG)) {
            Path p = root.resolve(f);
            if (Files.isRegularFile(p)) {
                moves.add(new Path[] {p, target.resolve(f)});
            }
        }
        List<Path> moved = new ArrayList<>();
        try {
            for (Path[] m : moves) {
                Files.createDirectories(m[1].getParent());
                Files.move(m[0], m[1], StandardCopyOption.ATOMIC_MOVE);
                moved.add(m[1]);
            }
            AtomicFiles.syncDirectory(root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not move the checkpoints of an earlier run out of the way, into " + target
                    + " (" + e.getMessage() + "); " + moved.size() + " were moved, nothing was deleted", e);
        }
        LOG.warn("Moved {} checkpoint file(s) of an earlier run{} to {}, so this run overwrites none of them: {}",
                checkpoints, moves.size() > checkpoints ? " with its " + moves.subList(checkpoints, moves.size()).stream()
                        .map(m -> m[0].getFileName().toString()).collect(java.util.stream.Collectors.joining(" and ")) : "",
                target, why);
        return moved;
    }

    /**
     * Writes {@code config.conf}: the run's config with every default filled in and substitutions
     * resolved (values from environment variables as their references), in HOCON, so the run can
     * be read, compared and started again ({@code ./stride train <work-dir>/config.conf}).
     *
     * @param command the command line that started the run, for the header
     */
    public static Path writeConfig(Path dir, com.typesafe.config.Config recorded, String command) {
        String hocon = recorded.root().render(com.typesafe.config.ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(true).setJson(false).setFormatted(true));
        String text = "# The resolved config of the run started " + LocalDateTime.now().format(DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm:ss")) + " by: " + command.replace('\n', ' ') + "\n"
                + "# Every default is filled in. Train it again with: ./stride train <this file>\n" + hocon;
        Path file = dir.resolve(CONFIG);
        AtomicFiles.write(file, java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return file;
    }

    /** The checkpoint files (*.safetensors) directly in {@code dir}. */
    private static List<Path> checkpoints(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(CheckpointFiles.EXTENSION))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code p}, or {@code p_2}, {@code p_3} ... when it exists already. */
    private static Path unused(Path p) {
        Path q = p;
        for (int i = 2; Files.exists(q); i++) {
            q = p.resolveSibling(p.getFileName() + "_" + i);
        }
        return q;
    }
}
