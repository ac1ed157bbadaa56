package dev.throughline.app.ui;

import dev.throughline.app.report.Units;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A counter row shows its values in the unit its name says (names as the NVML feed and the JVM agent write them). */
class CounterFormatTest {
    private static String format(String name, double v) {
        return new CounterQuery.CounterTrack(1, name, "", 1, 0, v).format(v);
    }

    @Test
    void percentNamesWinOverMemoryNames() {
        assertEquals("37.5 %", format("gpu0 memory utilization %", 37.5), "a share of time, not bytes");
        assertEquals("99.0 %", format("gpu0 utilization %", 99));
        assertEquals("12.5 %", format("cpu_percent", 12.5));
    }

    @Test
    void memoryNamesAreBytes() {
        assertEquals(Units.bytes(1_317_000_000L), format("gpu0 memory used bytes", 1_317_000_000));
        assertEquals(Units.bytes(65_000_000L), format("heap_used_bytes", 65_000_000));
        assertEquals(Units.bytes(4096L), format("rss", 4096));
    }

    @Test
    void otherNamesArePlainNumbers() {
        assertEquals("42", format("threads", 42));
    }
}
