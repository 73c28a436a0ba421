package dev.stride.runner.api.checkpoint.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the fuzzer saw: counts by outcome and mutation, the failures, the largest allocation. */
final class Outcomes {
    final Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
    int cases;
    int refused;
    int unchanged;
    int forgedAccepted;
    int plainAccepted;
    long maxAllocated;
    long maxAllocatedFileSize;
    long maxSmallFileAllocation;
    double maxRatioOfLargeFiles;
    long maxNanos;
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> failureKinds = new java.util.TreeMap<>();

    /** Records a failure of {@code kind} (an exception class, "allocation" ...) at {@code where}. */
    void fail(String kind, String where) {
        failures.add(where);
        failureKinds.merge(kind, 1, Integer::sum);
    }

    void applied(Mutation m) {
        applied.merge(m, 1, Integer::sum);
    }

    void allocated(long bytes, long fileSize) {
        if (bytes > maxAllocated) {
            maxAllocated = bytes;
            maxAllocatedFileSize = fileSize;
        }
        if (fileSize < 64 * 1024) {
            maxSmallFileAllocation = Math.max(maxSmallFileAllocation, bytes);
        } else {
            maxRatioOfLargeFiles = Math.max(maxRatioOfLargeFiles, bytes / (double) fileSize);
        }
    }

    String summary(String name) {
        String kinds = applied.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().words)
                .collect(Collectors.joining(", "));
        return String.format("%s: %d cases (%s), %d refused with CorruptCheckpointException, %d read unchanged, %d accepted"
                + " after a recomputed checksum, %d accepted as plain safetensors without Stride metadata, %d failures%s;"
                + " largest read allocation %d bytes (file of %d bytes), at most %.1f x the file for files over 64 KB,"
                + " at most %d bytes for smaller files; slowest read %.1f ms",
                name, cases, kinds, refused, unchanged, forgedAccepted, plainAccepted, failures.size(),
                failureKinds.isEmpty() ? "" : " " + failureKinds, maxAllocated,
                maxAllocatedFileSize, maxRatioOfLargeFiles, maxSmallFileAllocation, maxNanos / 1e6);
    }
}
