package dev.stride.launcher.job;

import dev.stride.runner.api.internal.Preload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Starts the boot layer's {@link Preload}s on one background thread, so the engine's native library
 * loads while the command line reads the config and the data. The JVM waits for them before it
 * exits (a shutdown hook): a process must not run its exit handlers while another thread is still
 * inside a native library's initialisers; once it is exiting, the preloads stop after the step under
 * way.
 */
public final class Preloads {
    private static Thread thread;
    private static volatile boolean exiting;

    private Preloads() {}

    /** Starts the preloads, once per process; later calls do nothing, and so does {@code -Dstride.preload=false}. */
    public static synchronized void start() {
        if (thread != null || "false".equals(System.getProperty("stride.preload"))) {
            return;
        }
        // The JDK loads native libraries one at a time, under one lock, and several of its classes take that lock
        // in their initialisers even when their library is loaded: a command that first meets one of them while
        // the preload is inside libtorch waits for it. The paths a training command takes before it needs the
        // engine are walked here first: a file read through a channel (libnio), gzip (libzip), an InetAddress
        // (libnet, in the hash of a file: URL when the config is read).
        warmJdkLibraries();
        thread = new Thread(Preloads::runAll, "stride-preload");
        thread.setDaemon(true);
        Thread running = thread;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exiting = true;
            await(running);
        }, "stride-preload-exit"));
        thread.start();
    }

    private static void warmJdkLibraries() {
        try {
            InetAddress.getLoopbackAddress();
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(1);
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.toByteArray()))) {
                in.readAllBytes();
            }
            try (FileChannel channel = FileChannel.open(Path.of(System.getProperty("java.home"), "release"))) {
                channel.read(ByteBuffer.allocate(1));
            }
        } catch (IOException | RuntimeException e) {
            // only a matter of speed: the command meets these paths later, perhaps after a wait
        }
    }

    private static void runAll() {
        for (Preload p : ServiceLoader.load(ModuleLayer.boot(), Preload.class)) {
            if (exiting) {
                return;
            }
            try {
                p.run(() -> exiting);
            } catch (Exception | LinkageError e) {
                // the command does the same work itself and reports what went wrong
            }
        }
    }

    private static void await(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
