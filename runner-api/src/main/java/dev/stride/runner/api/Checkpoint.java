package dev.stride.runner.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The content of a checkpoint: named tensors (model parameters, optimizer slots, EMA shadows)
 * and string metadata (runner position, hook states, seeds). Each participant writes into its own
 * {@link Section} so names never clash.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Checkpoint {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public void putTensor(String name, Tensor tensor) {
        if (tensors.putIfAbsent(name, tensor) != null) {
            throw new IllegalStateException("tensor " + name + " is written twice to the checkpoint");
        }
    }

    public void putMetadata(String key, String value) {
        metadata.put(key, value);
    }

    /** A copy without the tensors whose names start with {@code prefix}. */
    public Checkpoint withoutTensors(String prefix) {
        Checkpoint c = new Checkpoint();
        tensors.forEach((n, t) -> {
            if (!n.startsWith(prefix)) {
                c.tensors.put(n, t);
            }
        });
        c.metadata.putAll(metadata);
        return c;
    }

    /** A view whose metadata keys start with {@code metaPrefix} and tensor names with {@code tensorPrefix}. */
    public Section section(String metaPrefix, String tensorPrefix) {
        return new Section(metaPrefix, tensorPrefix);
    }

    /** A prefixed view of the checkpoint, for one model, optimizer or hook. */
    public final class Section {
        private final String metaPrefix;
        private final String tensorPrefix;

        private Section(String metaPrefix, String tensorPrefix) {
            this.metaPrefix = metaPrefix;
            this.tensorPrefix = tensorPrefix;
        }

        public void put(String key, String value) {
            metadata.put(metaPrefix + key, value);
        }

        public void put(String key, long value) {
            put(key, Long.toString(value));
        }

        /** Stored exactly: {@link Double#toString} round-trips every double. */
        public void put(String key, double value) {
            put(key, Double.toString(value));
        }

        public @Nullable String get(String key) {
            return metadata.get(metaPrefix + key);
        }

        public boolean has(String key) {
            return metadata.containsKey(metaPrefix + key);
        }

        public long getLong(String key, long fallback) {
            String v = get(key);
            return v == null ? fallback : Long.parseLong(v);
        }

        public double getDouble(String key, double fallback) {
            String v = get(key);
            return v == null ? fallback : Double.parseDouble(v);
        }

        public void putTensor(String name, Tensor tensor) {
            Checkpoint.this.putTensor(tensorPrefix + name, tensor);
        }

        /** The tensor, or {@code null} when the checkpoint has none of that name. */
        public @Nullable Tensor tensor(String name) {
            return tensors.get(tensorPrefix + name);
        }

        /** Keys (without the prefix) of this section's metadata, sorted. */
        public List<String> keys() {
            return metadata.keySet().stream()
                    .filter(k -> k.startsWith(metaPrefix))
                    .map(k -> k.substring(metaPrefix.length()))
                    .toList();
        }

        /** Names (without the prefix) of this section's tensors, in file order. */
        public List<String> tensorNames() {
            return tensors.keySet().stream()
                    .filter(n -> n.startsWith(tensorPrefix))
                    .map(n -> n.substring(tensorPrefix.length()))
                    .toList();
        }
    }
}
