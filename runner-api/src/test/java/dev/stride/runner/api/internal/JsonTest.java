package dev.stride.runner.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void parsesAValidDocument() throws Json.SyntaxException {
        Object v = Json.parse(" {\"a\": 1, \"b\": [true, false, null, -2.5e3, 0], \"c\": {\"d\": \"x\", \"e\": {}},"
                + " \"f\": [], \"g\": -7, \"h\": 1.25}\n\t ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1L);
        expected.put("b", Arrays.asList(true, false, null, -2500.0, 0L));
        expected.put("c", Map.of("d", "x", "e", Map.of()));
        expected.put("f", List.of());
        expected.put("g", -7L);
        expected.put("h", 1.25);
        assertEquals(expected, v);
        assertEquals(List.of("a", "b", "c", "f", "g", "h"), List.copyOf(((Map<?, ?>) v).keySet()), "keys keep their order");
    }

    @Test
    void parsesScalarsAtTopLevel() throws Json.SyntaxException {
        assertEquals("s", Json.parse("\"s\""));
        assertEquals(Long.MAX_VALUE, Json.parse(Long.toString(Long.MAX_VALUE)));
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertNull(Json.parse(" null "));
    }

    @Test
    void duplicateKeysAreRejected() {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\": 1, \"b\": 2, \"a\": 3}"));
        assertTrue(e.getMessage().contains("duplicate key \"a\""), e.getMessage());
        assertTrue(e.getMessage().contains("offset 17"), e.getMessage());
        assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"x\": {\"k\": 1, \"k\": 1}}"));
    }

    @Test
    void deepNestingIsRejectedWithoutOverflowingTheStack() throws Json.SyntaxException {
        Json.parse("[".repeat(20) + "]".repeat(20));
        Json.parse("{\"a\":".repeat(20) + "1" + "}".repeat(20));
        for (int depth : new int[] {40, 100_000}) {
            Json.SyntaxException e = assertThrows(Json.SyntaxException.class,
                    () -> Json.parse("[".repeat(depth) + "]".repeat(depth)));
            assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
        }
        assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\":".repeat(50) + "1" + "}".repeat(50)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{\"a\":1}}", "[1] [2]", "1 2", "\"a\"\"b\"", "{}\u0000", "null,"})
    void trailingContentIsRejected(String text) {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().contains("trailing content"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "[1,", "{\"a\"}", "{\"a\":}", "{a:1}", "[1 2]", "{\"a\":1,}", "tru", "nul",
            "\"abc", "\"a\\", "\"\\x\"", "\"\\u12\"", "\"\\uZZZZ\"", "\"a\nb\"", "1.2.3", "-", "--1", "+1", "'a'",
            "99999999999999999999"})
    void malformedDocumentsAreRejected(String text) {
        assertThrows(Json.SyntaxException.class, () -> Json.parse(text));
    }

    @Test
    void escapes() throws Json.SyntaxException {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("A\u00e9\u4e2d", Json.parse("\"\\u0041\\u00e9\\u4E2D\""));
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""), "a surrogate pair");
        assertEquals("\u0000", Json.parse("\"\\u0000\""));
        assertEquals("é😀", Json.parse("\"é😀\""), "raw non-ASCII characters");
    }

    /** JSON's {@code \\u} takes exactly four hex digits; Integer.parseInt also takes a sign. */
    @ParameterizedTest
    @ValueSource(strings = {"\"\\u+041\"", "\"\\u-041\"", "\"\\u+7ff\""})
    void unicodeEscapeWithASignInsteadOfAHexDigitIsRejected(String text) {
        assertThrows(Json.SyntaxException.class, () -> Json.parse(text), () -> {
            try {
                return text + " was accepted as " + Json.parse(text).toString().chars().mapToObj(Integer::toHexString).toList();
            } catch (Json.SyntaxException e) {
                return text;
            }
        });
    }

    @Test
    void quoteAndWriteRoundTrip() throws Json.SyntaxException {
        List<String> strings = List.of("", "plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab",
                "control \u0001\u001f\u007f", "unicode é 中 😀", "\u2028\u2029");
        for (String s : strings) {
            assertEquals(s, Json.parse(Json.quote(new StringBuilder(), s).toString()), s);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("strings", new ArrayList<>(strings));
        doc.put("n", 3L);
        doc.put("x", 0.5);
        doc.put("nested", Map.of("ok", true));
        doc.put("nothing", null);
        assertEquals(doc, Json.parse(Json.write(doc)));
    }
}
