package dev.stride.runner.testkit;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A recorded trace of hook stage calls, such as those of MMCV's own runners, to replay against a
 * Stride runner: read it with {@link #readJsonLines}, run the runner with a {@link Harness} of the
 * same workflow, limits and loader lengths, and compare {@link #calls()} with
 * {@link Harness#calls()}.
 *
 * <p>The JSON-lines format: line 1 is a header object, {@code {"case": ..., "runner": ...,
 * "workflow": [["train", 2], ["val", 1]], "batches": [2, 2], "limit": 11}} ({@code batches}: the
 * batches per epoch of the loader of each workflow phase, in workflow order, as MMCV takes one loader
 * per phase; {@code limit}: max-iters or max-epochs). Then one object per hook call, {@code {"stage": "before_train_iter",
 * "mode": "train", "epoch": 0, "iter": 0, "inner_iter": 0, ...}}, with more fields as the recorder
 * saw them ({@code batch}, {@code loader_epoch}); a row of stage {@code (init)} holds the counters
 * right after the runner was built, and a last row {@code {"final": true, ...}} those after the run.
 * Stage names may be snake_case (MMCV's) or Stride's method names: {@code before_train_iter} is read
 * as {@code beforeTrainIter}.
 *
 * @param header the header object
 * @param rows every hook call, in order, without the {@code (init)} and final rows
 * @param initial the counters of the {@code (init)} row, or null
 * @param last the counters of the final row (its stage is {@code final}), or null
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record StageTrace(Map<String, Object> header, List<Row> rows, @Nullable StageCall initial, @Nullable StageCall last) {
    /**
     * One hook call of a trace.
     *
     * @param call the stage and counters
     * @param fields the whole row as read, e.g. with {@code batch} and {@code loader_epoch}
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Row(StageCall call, Map<String, Object> fields) {
        /** The field, or null when the row has none. */
        public @Nullable Object get(String field) {
            return fields.get(field);
        }
    }

    /** Keeps the header and rows as given, unmodifiable. */
    public StageTrace {
        header = Collections.unmodifiableMap(header);
        rows = List.copyOf(rows);
    }

    /** The header's {@code case}. */
    public String name() {
        return String.valueOf(header.get("case"));
    }

    /** The header's {@code runner}, e.g. {@code IterBasedRunner}. */
    public String runner() {
        return String.valueOf(header.get("runner"));
    }

    /** The header's {@code workflow}. */
    public Workflow workflow() {
        List<Phase> phases = new ArrayList<>();
        for (Object p : list(header.get("workflow"), "workflow")) {
            List<?> pair = list(p, "workflow phase");
            phases.add(new Phase(Mode.parse(String.valueOf(pair.get(0))), ((Number) pair.get(1)).intValue()));
        }
        return new Workflow(phases);
    }

    /** The header's {@code batches}: batches per epoch of the loader of each workflow phase, in workflow order. */
    public List<Integer> batches() {
        return list(header.get("batches"), "batches").stream().map(b -> ((Number) b).intValue()).toList();
    }

    /**
     * The batches per epoch of the loader of the first phase of {@code mode}.
     *
     * @throws IllegalArgumentException when the workflow has no phase of that mode
     */
    public int batches(Mode mode) {
        List<Phase> phases = workflow().phases();
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).mode() == mode) {
                return batches().get(i);
            }
        }
        throw new IllegalArgumentException("the workflow " + workflow() + " of " + name() + " has no " + mode + " phase");
    }

    /** The header's {@code limit}: max-iters or max-epochs. */
    public long limit() {
        return ((Number) header.get("limit")).longValue();
    }

    /** The stage calls of {@link #rows()}. */
    public List<StageCall> calls() {
        return rows.stream().map(Row::call).toList();
    }

    private static List<?> list(@Nullable Object value, String what) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("the trace's " + what + " is not a list: " + value);
    }

    /** Reads a trace file. */
    public static StageTrace readJsonLines(Path file) {
        try {
            return readJsonLines(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a trace from a stream (a class path resource), UTF-8; {@code source} names it in messages. */
    public static StageTrace readJsonLines(InputStream in, String source) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return readJsonLines(r.lines().toList(), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the lines of a trace; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the source and line of a malformed row
     */
    public static StageTrace readJsonLines(List<String> lines, String source) {
        Map<String, Object> header = null;
        List<Row> rows = new ArrayList<>();
        StageCall initial = null;
        StageCall last = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> o = object(line, source, n + 1);
            if (header == null) {
                header = o;
                continue;
            }
            if (Boolean.TRUE.equals(o.get("final"))) {
                last = call("final", o, source, n + 1);
            } else if ("(init)".equals(o.get("stage"))) {
                initial = call("(init)", o, source, n + 1);
            } else {
                rows.add(new Row(call(stageName(String.valueOf(o.get("stage"))), o, source, n + 1), o));
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(source + " is empty: a trace starts with a header line");
        }
        return new StageTrace(header, rows, initial, last);
    }

    /** {@code before_train_iter} as {@code beforeTrainIter}; a name without {@code _} stays as it is. */
    public static String stageName(String snakeCase) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : snakeCase.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String line, String source, int n) {
        try {
            if (Json.parse(line) instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (Json.SyntaxException e) {
            throw new IllegalArgumentException(source + ":" + n + ": not JSON: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(source + ":" + n + ": not a JSON object: " + line);
    }

    private static StageCall call(String stage, Map<String, Object> o, String source, int n) {
        try {
            Object mode = o.get("mode");
            return new StageCall(stage, mode == null ? null : Mode.parse(String.valueOf(mode).toLowerCase(Locale.ROOT)),
                    ((Number) o.get("epoch")).intValue(), ((Number) o.get("iter")).longValue(),
                    ((Number) o.get("inner_iter")).intValue());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ":" + n + ": a row needs mode, epoch, iter and inner_iter: " + o, e);
        }
    }
}
