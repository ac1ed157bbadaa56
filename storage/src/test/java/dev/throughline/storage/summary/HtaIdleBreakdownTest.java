package dev.throughline.storage.summary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtaIdleBreakdownTest {
    private static final long DELAY = HtaIdleBreakdown.CONSECUTIVE_KERNEL_DELAY_NS;

    @Test
    void eachGapIsClassifiedByHtasRules() {
        HtaIdleBreakdown b = new HtaIdleBreakdown();
        // added out of order: the stream is sorted by start first
        b.add(200_000, 300_000, 150_000);        // gap 100 µs; launched at 150 µs, after the previous end (100 µs) -> host wait
        b.add(0, 100_000, 0);                    // first event: no gap
        b.add(310_000, 400_000, 250_000);        // gap 10 µs, launched at 250 µs < previous end 300 µs -> kernel wait
        b.add(500_000, 600_000, 380_000);        // gap 100 µs, launched before the previous end -> other
        b.add(650_000, 700_000, HtaIdleBreakdown.UNMATCHED); // gap 50 µs, no launch call -> other
        HtaIdleBreakdown.Result r = b.compute(DELAY).orElseThrow();
        assertEquals(100_000, r.hostWaitNs());
        assertEquals(10_000, r.kernelWaitNs());
        assertEquals(150_000, r.otherNs());
        assertEquals(1, r.hostWaitIntervals());
        assertEquals(1, r.kernelWaitIntervals());
        assertEquals(2, r.otherIntervals());
        // no overlaps: the causes add up to the stream's window minus its busy time
        assertEquals(700_000 - (100_000 + 100_000 + 90_000 + 100_000 + 50_000), r.idleNs());
    }

    @Test
    void aShortGapLaunchedLateIsStillHostWaitAndOverlapsCountNegative() {
        HtaIdleBreakdown b = new HtaIdleBreakdown();
        b.add(0, 10_000, 0);
        b.add(12_000, 20_000, 11_000);  // 2 µs gap but the launch came after the previous end: host wait first
        b.add(15_000, 30_000, 1_000);   // overlaps its predecessor by 5 µs: HTA sums it as -5 µs (kernel wait, < delay)
        HtaIdleBreakdown.Result r = b.compute(DELAY).orElseThrow();
        assertEquals(2_000, r.hostWaitNs());
        assertEquals(-5_000, r.kernelWaitNs());
        assertEquals(0, r.otherNs());
    }

    @Test
    void oneEventHasNoGap() {
        HtaIdleBreakdown b = new HtaIdleBreakdown();
        assertTrue(b.compute(DELAY).isEmpty());
        b.add(0, 1, 0);
        assertTrue(b.compute(DELAY).isEmpty());
    }
}
