package dev.stride.docs;

import java.util.LinkedHashMap;
import java.util.Map;

/** The table {@code stride list} prints, by "kind name". */
final class ListTable {
    /** One row: the columns of {@code stride list}. */
    record Row(String kind, String name, String module, String version, String origin, String jar) {}

    private ListTable() {}

    static Map<String, Row> parse(String out) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] c = line.strip().split("\\s{2,}");
            if (c.length == 6 && !c[0].equals("KIND")) {
                rows.put(c[0] + " " + c[1], new Row(c[0], c[1], c[2], c[3], c[4], c[5]));
            }
        }
        return rows;
    }
}
