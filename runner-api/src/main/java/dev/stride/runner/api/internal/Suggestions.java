package dev.stride.runner.api.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apiguardian.api.API;

/** "Did you mean ...?" for misspelt names and keys. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Suggestions {
    private Suggestions() {}

    /** The closest of {@code candidates} to {@code word}, if it is close enough to be a typo. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        return candidates.stream()
                .filter(c -> distance(word, c) <= Math.max(1, Math.min(3, c.length() / 3)) || c.startsWith(word) && word.length() >= 3)
                .min(Comparator.comparingInt((String c) -> distance(word, c)).thenComparing(c -> c));
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
