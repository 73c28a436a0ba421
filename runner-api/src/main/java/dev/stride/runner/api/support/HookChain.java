package dev.stride.runner.api.support;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Registered hooks in priority order (lower first, ties in registration order), with one
 * precomputed array per stage holding only the hooks that act at that stage, so a call costs a
 * loop over an array: no sorting, reflection or allocation per call.
 */
final class HookChain {
    private record Entry(Hook hook, int priority, int order) {}

    private static final Hook[] NONE = new Hook[0];

    private final List<Entry> entries = new ArrayList<>();
    private final Hook[][] byStage = new Hook[Stage.values().length][];

    public HookChain() {
        java.util.Arrays.fill(byStage, NONE);
    }

    public void register(Hook hook, int priority) {
        Priority.check(priority);
        entries.add(new Entry(hook, priority, entries.size()));
        entries.sort(Comparator.comparingInt(Entry::priority).thenComparingInt(Entry::order));
        for (Stage stage : Stage.values()) {
            byStage[stage.ordinal()] = entries.stream()
                    .map(Entry::hook)
                    .filter(stage::isImplementedBy)
                    .toArray(Hook[]::new);
        }
    }

    /** All hooks, in calling order. */
    public List<Hook> hooks() {
        return entries.stream().map(Entry::hook).toList();
    }

    /** The priority a hook was registered with. */
    public int priorityOf(Hook hook) {
        return entries.stream().filter(e -> e.hook == hook).mapToInt(Entry::priority).findFirst().orElse(-1);
    }

    /**
     * Calls every hook of {@code stage}. A hook's {@link BadInputException} (a user mistake it
     * found) and {@link java.io.UncheckedIOException} (an I/O fault such as a full disk) pass
     * unchanged, and so do the JVM's own errors ({@link VirtualMachineError}: out of memory, stack
     * overflow); any other exception is wrapped with the hook, stage and position.
     */
    public void call(Stage stage, Runner runner) {
        for (Hook hook : byStage[stage.ordinal()]) {
            try {
                stage.call(hook, runner);
            } catch (BadInputException | HookFailedException | java.io.UncheckedIOException e) {
                // user mistakes and I/O faults (disk full) carry their own message; not a bug of the hook
                throw e;
            } catch (VirtualMachineError e) {
                // out of memory, stack overflow: the machine's fault, reported as such, not as the hook's bug
                throw e;
            } catch (RuntimeException | Error e) {
                throw new HookFailedException(hook, stage, runner.epoch(), runner.iter(), e);
            }
        }
    }
}
