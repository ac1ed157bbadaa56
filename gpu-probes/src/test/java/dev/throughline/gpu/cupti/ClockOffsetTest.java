package dev.throughline.gpu.cupti;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClockOffsetTest {
    @Test
    void theTightestBracketWins() {
        // monotonic reads: 100,140 | 200,210 | 300,400 ; the CUPTI clock reads 5000 + i*100 at each try
        long[] mono = {100, 140, 200, 210, 300, 400};
        AtomicLong m = new AtomicLong();
        AtomicLong c = new AtomicLong();
        ClockOffset o = ClockOffset.measure(() -> 5000 + 100 * c.getAndIncrement(), () -> mono[(int) m.getAndIncrement()], 3);
        assertEquals(10, o.uncertaintyNs);
        assertEquals(205 - 5100, o.offsetNs);
        assertEquals(205, o.toMonotonic(5100));
    }
}
