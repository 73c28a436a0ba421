package dev.stride.launcher.job;

import dev.stride.runner.api.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run per work dir: an OS file lock on {@code <work-dir>/.stride.lock}, held while the run
 * lasts. The operating system releases it when the process ends however it ends (kill -9
 * included), so it never goes stale; the file stays and says who held it last (pid, host, start
 * time, command), which a second run that cannot lock it reports.
 */
public final class WorkDirLock implements AutoCloseable {
    /** The lock file's name in the work dir. */
    public static final String FILE = ".stride.lock";
    private static final Logger LOG = LoggerFactory.getLogger("stride");
    /**
     * The lock files this process holds, with their holder text. POSIX drops every lock a process
     * holds on a file when it closes any descriptor of that file, so this process never opens a
     * lock file it holds a second time: a run inside the same JVM is refused from here.
     */
    private static final java.util.Map<Path, String> HELD = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (which exists) for this process.
     *
     * @param command the command line, written into the lock file for a second run's message
     * @throws BadInputException when another process holds the lock, naming it
     */
    public static WorkDirLock acquire(Path dir, String command) {
        Path file = key(dir);
        String ours = HELD.get(file);
        if (ours != null) {
            throw busy(dir, ours);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BadInputException("the work dir " + dir + " cannot be locked for this run (" + e.getMessage()
                    + "): choose another with --work-dir DIR");
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            // a file system without locks (some network mounts): run, but say so
            LOG.warn("Could not lock the work dir {} ({}): make sure no other run uses it", dir, e.getMessage());
            return new WorkDirLock(dir, ch, null);
        }
        if (lock == null) {
            String holder = holder(ch);
            close(ch);
            throw busy(dir, holder);
        }
        WorkDirLock held = new WorkDirLock(dir, ch, lock);
        HELD.put(file, held.describe(command));
        return held;
    }

    /**
     * Fails at once when another process holds the lock of {@code dir}, without creating anything:
     * a second run is refused before it loads its data. (The lock is taken later, by {@link #acquire}.)
     */
    public static void checkFree(Path dir) {
        Path file = key(dir);
        String ours = HELD.get(file);
        if (ours != null) {
            throw busy(dir, ours);
        }
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = ch.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                probe = null;
            }
            if (probe == null) {
                throw busy(dir, holder(ch));
            }
            probe.release();
        } catch (IOException e) {
            // not ours to judge here: acquire() will try again and report
        }
    }

    private static BadInputException busy(Path dir, String holder) {
        return new BadInputException("the work dir " + dir + " is in use by " + (holder.isEmpty() ? "another process"
                : holder) + ": wait for it, stop it, or use another --work-dir");
    }

    /** "process N (COMMAND, started TIME on HOST)" from the lock file, or empty when it says nothing. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 16 * 1024));
            ch.read(b, 0);
            return holder(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        }
    }

    private static String holder(String text) {
        String pid = field(text, "pid");
        if (pid.isEmpty()) {
            return "";
        }
        String host = field(text, "host");
        return "process " + pid + " (" + field(text, "command") + ", started " + field(text, "started")
                + (host.isEmpty() ? "" : " on " + host) + ")";
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return dev.stride.runner.api.internal.Printable.of(line.substring(name.length() + 2).trim());
            }
        }
        return "";
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize().resolve(FILE);
    }

    /**
     * Writes who holds the lock into the locked file itself (a rename would leave the lock on the
     * old file); returns how a refused run names the holder.
     */
    private String describe(String command) {
        String text = "pid: " + ProcessHandle.current().pid() + "\n"
                + "host: " + host() + "\n"
                + "started: " + LocalDateTime.now().withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace('T', ' ') + "\n"
                + "command: " + command.replace('\n', ' ') + "\n";
        try {
            channel.truncate(0);
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            long at = 0;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
            channel.force(false);
        } catch (IOException e) {
            LOG.warn("Could not write {}: {}", dir.resolve(FILE), e.getMessage());
        }
        return holder(text);
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h.trim();
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Releases the lock (the file stays: deleting it would let two runs lock two different files). */
    @Override
    public void close() {
        HELD.remove(key(dir));
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the process ends soon; the OS releases it then
        }
        close(channel);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it that could be lost
        }
    }
}
