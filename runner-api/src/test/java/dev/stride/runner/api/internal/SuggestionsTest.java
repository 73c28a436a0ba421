package dev.stride.runner.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> OPTIONS = List.of("interval", "by-epoch", "max-keep-ckpts", "save-optimizer", "out-dir");

    @Test
    void closestFindsTypos() {
        assertEquals(Optional.of("interval"), Suggestions.closest("intervall", OPTIONS));
        assertEquals(Optional.of("interval"), Suggestions.closest("intreval", OPTIONS));
        assertEquals(Optional.of("by-epoch"), Suggestions.closest("by_epoch", OPTIONS));
        assertEquals(Optional.of("max-keep-ckpts"), Suggestions.closest("max-keep-ckpt", OPTIONS));
        assertEquals(Optional.of("max-epochs"), Suggestions.closest("max-epoch", List.of("max-epochs", "max-iters")));
        assertEquals(Optional.of("epoch"), Suggestions.closest("epoc", List.of("epoch", "iter")));
    }

    @Test
    void closestAcceptsAPrefixOfThreeOrMoreCharacters() {
        assertEquals(Optional.of("save-optimizer"), Suggestions.closest("save", OPTIONS));
        assertEquals(Optional.empty(), Suggestions.closest("sa", List.of("save-optimizer")));
    }

    @Test
    void closestFindsNothingForUnrelatedWords() {
        assertEquals(Optional.empty(), Suggestions.closest("learning-rate", OPTIONS));
        assertEquals(Optional.empty(), Suggestions.closest("xyz", OPTIONS));
        assertEquals(Optional.empty(), Suggestions.closest("anything", List.of()));
    }

    @Test
    void closestPrefersTheSmallestDistanceThenTheAlphabet() {
        assertEquals(Optional.of("interval"), Suggestions.closest("interva", List.of("internal", "interval")));
        assertEquals(Optional.of("aaab"), Suggestions.closest("aaaa", List.of("aaac", "aaab")));
    }

    @Test
    void didYouMean() {
        assertEquals(" (did you mean 'interval'?)", Suggestions.didYouMean("intervall", OPTIONS));
        assertEquals("", Suggestions.didYouMean("zzz", OPTIONS));
    }

    @Test
    void levenshtein() {
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(0, Suggestions.distance("same", "same"));
        assertEquals(4, Suggestions.distance("", "four"));
        assertEquals(1, Suggestions.distance("ab", "b"));
    }
}
