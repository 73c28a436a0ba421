package dev.stride.runner.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriorityTest {
    @Test
    void namedValuesAreMmcvs() {
        assertEquals(0, Priority.HIGHEST.value());
        assertEquals(10, Priority.VERY_HIGH.value());
        assertEquals(30, Priority.HIGH.value());
        assertEquals(40, Priority.ABOVE_NORMAL.value());
        assertEquals(50, Priority.NORMAL.value());
        assertEquals(60, Priority.BELOW_NORMAL.value());
        assertEquals(70, Priority.LOW.value());
        assertEquals(90, Priority.VERY_LOW.value());
        assertEquals(100, Priority.LOWEST.value());
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({
            "NORMAL, 50", "normal, 50", "Normal, 50",
            "very-low, 90", "VERY_LOW, 90", "Very_Low, 90", "very_low, 90", "VERY-LOW, 90",
            "above-normal, 40", "below_normal, 60", "highest, 0", "lowest, 100", "very-high, 10",
            "'  high  ', 30",
    })
    void namesInAnyCaseWithDashOrUnderscore(String text, int expected) {
        assertEquals(expected, Priority.parse(text));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"0, 0", "100, 100", "42, 42", "' 7 ', 7", "050, 50"})
    void intsFrom0To100(String text, int expected) {
        assertEquals(expected, Priority.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"101", "-1", "1000", "2147483647"})
    void intsOutOfRangeAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Priority.parse(text));
        assertTrue(e.getMessage().contains("outside 0..100"), e.getMessage());
        assertTrue(e.getMessage().contains(text.trim()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "very low", "NORMALL", "1.5", "99999999999", "high!"})
    void garbageIsRejectedListingWhatIsAccepted(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Priority.parse(text));
        assertTrue(e.getMessage().contains("unknown priority '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("0..100"), e.getMessage());
        assertTrue(e.getMessage().contains("VERY_LOW"), e.getMessage());
    }

    @Test
    void checkAcceptsTheRangeOnly() {
        assertEquals(0, Priority.check(0));
        assertEquals(100, Priority.check(100));
        assertThrows(IllegalArgumentException.class, () -> Priority.check(-1));
        assertThrows(IllegalArgumentException.class, () -> Priority.check(101));
    }
}
