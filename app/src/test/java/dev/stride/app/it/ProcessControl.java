package dev.stride.app.it;

import dev.stride.runner.api.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Signals to a running stride process at a known point of its run. The process is frozen
 * (SIGSTOP) while the test looks at its work dir and sends the signal, so what the test saw is
 * where the run was when the signal came (give or take the iterations since its newest log
 * record): however late the test thread is, the run cannot move on between the look and the
 * signal. Shared by the end-to-end and the hardening tests.
 */
public final class ProcessControl {
    private ProcessControl() {}

    /** A check or an action that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Sends {@code signal} (INT, TERM, STOP, CONT ...) with the kill command. */
    public static void kill(String signal, Process p) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + p.pid() + " failed"
                    + (p.isAlive() ? "" : ": the process ended (exit " + p.exitValue() + ")"));
        }
    }

    /**
     * Runs {@code action} while the process is stopped (SIGSTOP), then lets it go on (SIGCONT), also
     * when {@code action} throws. A stopped process keeps its files, locks and sockets open.
     */
    public static void whileStopped(Process p, ThrowingRunnable action) throws Exception {
        kill("STOP", p);
        try {
            awaitStopped(p);
            action.run();
        } finally {
            kill("CONT", p);
        }
    }

    /**
     * Waits until every thread of the process has stopped: kill(2) returns once SIGSTOP is sent,
     * and a thread stops on its way back to user space (a thread inside a system call, an fsync
     * say, when that call ends).
     */
    private static void awaitStopped(Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String running = "";
        while (System.nanoTime() < deadline) {
            running = "";
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (java.io.IOException gone) {
                        continue; // the thread ended
                    }
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if ("TtZX".indexOf(state) < 0) {
                        running += " " + task.getFileName() + ":" + state;
                    }
                }
            }
            if (running.isEmpty()) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("threads of process " + p.pid() + " did not stop within 30 s of SIGSTOP:" + running);
    }

    /**
     * Sends {@code signal} to a stopped copy of the process: SIGSTOP, then {@code check} on the
     * frozen work dir, then the signal and SIGCONT. When {@code check} throws, no signal is sent
     * (the process goes on).
     */
    public static void killWhileStopped(String signal, Process p, ThrowingRunnable check) throws Exception {
        whileStopped(p, () -> {
            check.run();
            kill(signal, p);
        });
    }

    /**
     * Sends {@code signal} at a moment the newest record of the run's JSON log is {@code early}
     * (e.g. a train record in the first half of an epoch): whenever the running process's log looks
     * early it is stopped, and only if its newest record is still early once frozen does the signal
     * go out, before SIGCONT. When the test came too late (the frozen run had moved on), the run goes
     * on and the next early record is waited for, e.g. in the next epoch; so nothing depends on how
     * quickly the test thread runs. Fails when the run ends without such a moment, or after 5 minutes.
     *
     * @param what the moment, for the failure message
     * @return the newest record when the signal was sent
     */
    public static Map<String, Object> signalWhen(String signal, Process p, Path work, Predicate<Map<String, Object>> early,
            String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        List<Map<String, Object>> sent = new ArrayList<>();
        List<Map<String, Object>> tooLate = new ArrayList<>();
        while (true) {
            Map<String, Object> newest = newest(jsonLog(work));
            if (newest != null && early.test(newest)) {
                if (!p.isAlive()) {
                    break;
                }
                whileStopped(p, () -> {
                    Map<String, Object> frozen = newest(jsonLog(work));
                    if (early.test(frozen)) {
                        kill(signal, p);
                        sent.add(frozen);
                    } else {
                        tooLate.add(frozen);
                    }
                });
                if (!sent.isEmpty()) {
                    if (!tooLate.isEmpty()) {
                        System.out.printf("ProcessControl: SIG%s at %s after %d frozen looks that came too late (%s)%n", signal,
                                sent.get(0), tooLate.size(), tooLate);
                    }
                    return sent.get(0);
                }
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the run " + (p.isAlive() ? "did not log a record " + what + " in 5 minutes"
                : "ended (exit " + p.exitValue() + ") without a moment " + what) + "; frozen looks that came too late: "
                + tooLate + "; newest record: " + newest(jsonLog(work)));
    }

    private static Map<String, Object> newest(List<Map<String, Object>> log) {
        return log.isEmpty() ? null : log.get(log.size() - 1);
    }

    /**
     * Every record of every {@code *.log.json} of a work dir, in file (time) order, also while the
     * run writes it: a partial last line is left out, as is the first line of each file, which
     * describes the run; no work dir yet, no records.
     */
    public static List<Map<String, Object>> jsonLog(Path work) throws Exception {
        return Files.isDirectory(work) ? jsonLog(work, false) : new ArrayList<>();
    }

    /**
     * The records of the work dir's {@code *.log.json} files, in file (time) order, without the
     * first line of each (it describes the run); with {@code whole}, every line of each file (a
     * finished run's log), else up to its last newline.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonLog(Path work, boolean whole) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(work)) {
            files = s.filter(p -> p.toString().endsWith(".log.json")).sorted().toList();
        }
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            for (String line : (whole ? text : text.substring(0, text.lastIndexOf('\n') + 1)).split("\n")) {
                if (!line.isEmpty()) {
                    Map<String, Object> record = (Map<String, Object>) Json.parse(line);
                    if (record.containsKey("mode")) { // the first line describes the run
                        out.add(record);
                    }
                }
            }
        }
        return out;
    }

    /** A record's number field, e.g. {@code iter}. */
    public static int number(Map<String, Object> record, String field) {
        Object v = record.get(field);
        if (!(v instanceof Number n)) {
            throw new AssertionError("no number " + field + " in the log record " + record);
        }
        return n.intValue();
    }
}
