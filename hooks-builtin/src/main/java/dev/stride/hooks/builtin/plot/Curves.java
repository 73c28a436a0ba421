package dev.stride.hooks.builtin.plot;

import dev.stride.runner.api.Checkpoint;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The curves of a run, grouped into panels (one chart each, in a fixed order: loss, learning
 * rate, val metrics), each panel holding named series against the train iteration.
 */
final class Curves {
    static final String LOSS = "loss";
    static final String LR = "learning rate";
    static final String METRICS = "val metrics";

    private final Map<String, Map<String, Series>> panels = new LinkedHashMap<>();

    Curves() {
        for (String p : new String[] {LOSS, LR, METRICS}) {
            panels.put(p, new LinkedHashMap<>());
        }
    }

    void add(String panel, String label, double x, double y) {
        panels.computeIfAbsent(panel, p -> new LinkedHashMap<>()).computeIfAbsent(label, l -> new Series()).add(x, y);
    }

    /** Panel name to its series, in drawing order; panels may be empty. */
    Map<String, Map<String, Series>> panels() {
        return panels;
    }

    void save(Checkpoint.Section state) {
        StringBuilder index = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, Map<String, Series>> p : panels.entrySet()) {
            for (Map.Entry<String, Series> s : p.getValue().entrySet()) {
                index.append(p.getKey()).append('\t').append(s.getKey()).append('\n');
                state.put("series." + i++, s.getValue().encode());
            }
        }
        state.put("series", index.toString());
    }

    void load(Checkpoint.Section state) {
        String index = state.get("series");
        if (index == null) {
            return;
        }
        panels.values().forEach(Map::clear);
        String[] lines = index.split("\n");
        for (int i = 0; i < lines.length; i++) {
            int tab = lines[i].indexOf('\t');
            String data = state.get("series." + i);
            if (tab > 0 && data != null) {
                panels.computeIfAbsent(lines[i].substring(0, tab), p -> new LinkedHashMap<>())
                        .put(lines[i].substring(tab + 1), Series.decode(data));
            }
        }
    }
}
