package dev.stride.runner.testkit;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One hook call as a hook saw it: the stage (the {@link dev.stride.runner.api.Hook} method's name,
 * e.g. {@code afterTrainIter}) and the runner's counters at that moment: {@link Runner#mode()},
 * {@link Runner#epoch()}, {@link Runner#iter()} and {@link Runner#innerIter()}.
 *
 * <p>{@link #toString()} is stable, for expected lists in tests: {@code afterTrainIter train e0 i3 in1}
 * ({@code none} for the mode before the first phase); {@link #compact()} leaves the mode out.
 *
 * @param stage the hook method, e.g. {@code beforeTrainEpoch}
 * @param mode the runner's mode, {@code null} before the first phase starts
 * @param epoch completed train epochs ({@link Runner#epoch()})
 * @param iter completed train iterations ({@link Runner#iter()})
 * @param innerIter {@link Runner#innerIter()}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record StageCall(String stage, @Nullable Mode mode, int epoch, long iter, int innerIter) {
    /** The call of {@code stage} with the counters {@code runner} has now. */
    public static StageCall of(String stage, Runner runner) {
        return new StageCall(stage, runner.mode(), runner.epoch(), runner.iter(), runner.innerIter());
    }

    /**
     * Reads the form {@link #toString()} writes, {@code afterTrainIter train e0 i3 in1} (mode
     * {@code none} for null).
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static StageCall parse(String text) {
        String[] p = text.trim().split("\\s+");
        if (p.length != 5 || !p[2].startsWith("e") || !p[3].startsWith("i") || !p[4].startsWith("in")) {
            throw new IllegalArgumentException("not a stage call such as 'afterTrainIter train e0 i3 in1': " + text);
        }
        try {
            return new StageCall(p[0], p[1].equals("none") ? null : Mode.parse(p[1]), Integer.parseInt(p[2].substring(1)),
                    Long.parseLong(p[3].substring(1)), Integer.parseInt(p[4].substring(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stage call such as 'afterTrainIter train e0 i3 in1': " + text, e);
        }
    }

    /** {@link #toString()} of each call. */
    public static List<String> texts(List<StageCall> calls) {
        return calls.stream().map(StageCall::toString).toList();
    }

    /** {@link #compact()} of each call. */
    public static List<String> compacts(List<StageCall> calls) {
        return calls.stream().map(StageCall::compact).toList();
    }

    /** Without the mode: {@code afterTrainIter e0 i3 in1}. */
    public String compact() {
        return stage + " e" + epoch + " i" + iter + " in" + innerIter;
    }

    /** {@code afterTrainIter train e0 i3 in1}; the mode is {@code none} before the first phase. */
    @Override
    public String toString() {
        return stage + " " + (mode == null ? "none" : mode.id()) + " e" + epoch + " i" + iter + " in" + innerIter;
    }
}
