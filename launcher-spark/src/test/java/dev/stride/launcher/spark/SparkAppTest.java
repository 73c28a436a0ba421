package dev.stride.launcher.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparkAppTest {
    @Test
    void theSlotsOfLocalMastersAreKnownOthersAreNot() {
        assertEquals(1, SparkApp.slots("local"));
        assertEquals(2, SparkApp.slots("local[2]"));
        assertEquals(2, SparkApp.slots("local[2,3]"));
        assertEquals(4, SparkApp.slots("local-cluster[2, 2, 1024]"));
        assertEquals(-1, SparkApp.slots("local[*]"));
        assertEquals(-1, SparkApp.slots("spark://host:7077"));
        assertEquals(-1, SparkApp.slots("yarn"));
    }
}
