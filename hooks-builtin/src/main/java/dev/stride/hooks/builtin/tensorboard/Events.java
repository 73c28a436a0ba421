package dev.stride.hooks.builtin.tensorboard;

import java.util.Map;

/**
 * TensorBoard's {@code Event} protobuf ({@code tensorflow/core/util/event.proto}): {@code
 * wall_time} (1, double, seconds), {@code step} (2, int64), {@code file_version} (3, string) or
 * {@code summary} (5), where {@code Summary} is {@code repeated Value value = 1} and {@code Value}
 * is {@code tag} (1, string) with {@code simple_value} (2, float).
 */
final class Events {
    /** The version string TensorBoard expects in the first event of a file. */
    static final String FILE_VERSION = "brain.Event:2";

    private Events() {}

    /** The first event of a file: its version. */
    static byte[] fileVersion(double wallTime) {
        return new ProtoWriter().doubleField(1, wallTime).string(3, FILE_VERSION).toByteArray();
    }

    /** One event holding a scalar per tag, all at {@code step}. */
    static byte[] scalars(double wallTime, long step, Map<String, Double> values) {
        ProtoWriter summary = new ProtoWriter();
        values.forEach((tag, v) -> summary.bytes(1, new ProtoWriter().string(1, tag).floatField(2, v.floatValue())
                .toByteArray()));
        return new ProtoWriter().doubleField(1, wallTime).int64(2, step).bytes(5, summary.toByteArray()).toByteArray();
    }
}
