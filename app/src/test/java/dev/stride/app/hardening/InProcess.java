package dev.stride.app.hardening;

import dev.stride.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in this JVM ({@link Main#run}) with its output captured. */
final class InProcess {
    private InProcess() {}

    /** Exit status, standard output (the log) and standard error (the error report). */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Result stride(String... args) {
        synchronized (InProcess.class) { // System.out and System.err are global
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
                int exit = Main.run(args);
                return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }
}
