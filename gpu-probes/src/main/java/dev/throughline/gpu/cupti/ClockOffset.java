package dev.throughline.gpu.cupti;

import java.util.function.LongSupplier;

/**
 * The offset from CUPTI's clock (cuptiGetTimestamp: on Linux, wall-clock nanoseconds since the
 * epoch) to the capture's clock (CLOCK_MONOTONIC, System.nanoTime on Linux). Each try brackets one
 * CUPTI read between two monotonic reads; the tightest bracket wins, and its width is the
 * uncertainty. Measured at start and again at stop, so a drift (an NTP step) shows.
 */
public final class ClockOffset {
    /** Add to a CUPTI timestamp to get CLOCK_MONOTONIC nanoseconds. */
    public final long offsetNs;
    /** The width of the best bracket: the offset is right to within this. */
    public final long uncertaintyNs;

    public ClockOffset(long offsetNs, long uncertaintyNs) {
        this.offsetNs = offsetNs;
        this.uncertaintyNs = uncertaintyNs;
    }

    public static ClockOffset measure(LongSupplier cuptiClock, LongSupplier monotonicClock, int tries) {
        long bestWidth = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < Math.max(1, tries); i++) {
            long before = monotonicClock.getAsLong();
            long cupti = cuptiClock.getAsLong();
            long after = monotonicClock.getAsLong();
            long width = after - before;
            if (width < bestWidth) {
                bestWidth = width;
                bestOffset = before + width / 2 - cupti;
            }
        }
        return new ClockOffset(bestOffset, bestWidth);
    }

    public long toMonotonic(long cuptiNs) {
        return cuptiNs + offsetNs;
    }

    @Override
    public String toString() {
        return "offset " + offsetNs + " ns ± " + uncertaintyNs + " ns";
    }
}
