package dev.throughline.storage.summary;

import static dev.throughline.storage.summary.HtaTemporalBreakdown.KernelType.COMMUNICATION;
import static dev.throughline.storage.summary.HtaTemporalBreakdown.KernelType.COMPUTATION;
import static dev.throughline.storage.summary.HtaTemporalBreakdown.KernelType.MEMORY;
import static dev.throughline.storage.summary.HtaTemporalBreakdown.UNMATCHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HtaTemporalBreakdownTest {

    private static void assertResult(HtaTemporalBreakdown.Result r, long windowStart, long windowEnd, long idle,
                                     long compute, long nonCompute, int events) {
        assertEquals(windowStart, r.windowStartNs(), "window start");
        assertEquals(windowEnd, r.windowEndNs(), "window end");
        assertEquals(idle, r.idleNs(), "idle");
        assertEquals(compute, r.computeNs(), "compute");
        assertEquals(nonCompute, r.nonComputeNs(), "non-compute");
        assertEquals(events, r.gpuEvents(), "events");
        assertEquals(r.kernelTimeNs(), idle + compute + nonCompute);
    }

    @Test
    void classifiesLikeGetKernelType() {
        assertEquals(COMMUNICATION, HtaTemporalBreakdown.KernelType.classify("ncclDevKernel_AllReduce_Sum_f32_RING_LL"));
        assertEquals(COMMUNICATION, HtaTemporalBreakdown.KernelType.classify("ncclKernel_AllGather_RING_LL_Sum_int8_t"));
        assertEquals(COMMUNICATION, HtaTemporalBreakdown.KernelType.classify("gloo:all_reduce"));
        assertEquals(MEMORY, HtaTemporalBreakdown.KernelType.classify("Memcpy HtoD (Pageable -> Device)"));
        assertEquals(MEMORY, HtaTemporalBreakdown.KernelType.classify("Memset (Device)"));
        assertEquals(COMPUTATION, HtaTemporalBreakdown.KernelType.classify("void at::native::vectorized_elementwise_kernel<4>"));
        // "nccl" must be a prefix
        assertEquals(COMPUTATION, HtaTemporalBreakdown.KernelType.classify("my_nccl_like_kernel"));
    }

    /**
     * <pre>
     * compute [0,10) [5,20) [60,70); communication [15,40); memory [50,55)
     * window [0,70) = 70; all merged [0,40) [50,55) [60,70) = 55 -> idle 15
     * compute merged [0,20) [60,70) = 30; non-compute 70 - 30 - 15 = 25 (= [20,40) + [50,55))
     * </pre>
     */
    @Test
    void windowIsFirstToLastGpuEvent() {
        HtaTemporalBreakdown h = new HtaTemporalBreakdown();
        h.add(COMPUTATION, 0, 10, 0);
        h.add(COMPUTATION, 5, 20, 1);
        h.add(COMMUNICATION, 15, 40, 2);
        h.add(MEMORY, 50, 55, 3);
        h.add(COMPUTATION, 60, 70, 4);
        assertResult(h.compute(OptionalLong.empty(), false).orElseThrow(), 0, 70, 15, 30, 25, 5);
    }

    /**
     * With two or more ProfilerStep names HTA keeps only GPU events whose launch started before the last
     * ProfilerStep.
     *
     * <pre>
     * A compute [10,20) launched 5      kept
     * B compute [30,50) launched 99     kept
     * C compute [60,70) launched 100    dropped (not before the cut-off 100)
     * D comm    [0,5)   not matched     dropped
     * E memory  [40,80) launched 50     kept
     * kept: window [10,80) = 70; merged [10,20) [30,80) = 60 -> idle 10; compute 10 + 20 = 30; non-compute 30
     * unfiltered: window [0,80) = 80; merged [0,5) [10,20) [30,80) = 65 -> idle 15; compute 40; non-compute 25
     * </pre>
     */
    @Test
    void lastStepAndUnmatchedEventsAreFilteredOut() {
        HtaTemporalBreakdown h = new HtaTemporalBreakdown();
        h.add(COMPUTATION, 10, 20, 5);
        h.add(COMPUTATION, 30, 50, 99);
        h.add(COMPUTATION, 60, 70, 100);
        h.add(COMMUNICATION, 0, 5, UNMATCHED);
        h.add(MEMORY, 40, 80, 50);
        assertResult(h.compute(OptionalLong.of(100), false).orElseThrow(), 10, 80, 10, 30, 30, 3);
        assertResult(h.compute(OptionalLong.empty(), false).orElseThrow(), 0, 80, 15, 40, 25, 5);
        assertTrue(h.compute(OptionalLong.of(0), false).isEmpty());
        assertTrue(new HtaTemporalBreakdown().compute(OptionalLong.empty(), true).isEmpty());
    }

    /**
     * HTA rounds fractional-microsecond times: start up, end down. A sub-microsecond kernel can end before it
     * starts, and HTA's merge then counts negative time.
     *
     * <pre>
     * A [1200,1700) ns -> [2000,1000): length -1000 in its own group
     * B [3000,5000) ns -> unchanged
     * window [2000,5000) = 3000; merged = -1000 + 2000 = 1000 -> idle 2000; compute 1000; non-compute 0
     * without rounding: window [1200,5000) = 3800; merged 500 + 2000 = 2500 -> idle 1300; compute 2500
     * </pre>
     */
    @Test
    void microsecondRoundingReproducesHtaNegativeDurations() {
        HtaTemporalBreakdown h = new HtaTemporalBreakdown();
        h.add(COMPUTATION, 1200, 1700, 100);
        h.add(COMPUTATION, 3000, 5000, 200);
        assertResult(h.compute(OptionalLong.empty(), true).orElseThrow(), 2000, 5000, 2000, 1000, 0, 2);
        assertResult(h.compute(OptionalLong.empty(), false).orElseThrow(), 1200, 5000, 1300, 2500, 0, 2);
    }

    /**
     * The cut-off compares rounded times: launch 100,200 ns and cut-off 100,500 ns both round up to 101 us,
     * so the event is not before the cut-off and is dropped; launch 99,900 rounds to 100 us and stays.
     */
    @Test
    void cutOffComparesRoundedTimes() {
        HtaTemporalBreakdown h = new HtaTemporalBreakdown();
        h.add(COMPUTATION, 200_000, 210_000, 100_200);
        h.add(COMPUTATION, 150_000, 160_000, 99_900);
        assertResult(h.compute(OptionalLong.of(100_500), true).orElseThrow(), 150_000, 160_000, 0, 10_000, 0, 1);
        assertResult(h.compute(OptionalLong.of(100_500), false).orElseThrow(), 150_000, 210_000, 40_000, 20_000,
                0, 2);
    }

    /** For well-formed ranges, HTA's group merge is the plain union of {@link IntervalSet}. */
    @Test
    void agreesWithIntervalSetOnWellFormedRanges() {
        Random rnd = new Random(3);
        for (int round = 0; round < 100; round++) {
            HtaTemporalBreakdown h = new HtaTemporalBreakdown();
            IntervalSet.Builder all = new IntervalSet.Builder();
            IntervalSet.Builder comp = new IntervalSet.Builder();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            int n = 1 + rnd.nextInt(50);
            for (int i = 0; i < n; i++) {
                long s = rnd.nextInt(10_000);
                long e = s + rnd.nextInt(500);
                HtaTemporalBreakdown.KernelType t = HtaTemporalBreakdown.KernelType.values()[rnd.nextInt(3)];
                h.add(t, s, e, 0);
                all.add(s, e);
                if (t == COMPUTATION) {
                    comp.add(s, e);
                }
                min = Math.min(min, s);
                max = Math.max(max, e);
            }
            HtaTemporalBreakdown.Result r = h.compute(OptionalLong.empty(), false).orElseThrow();
            assertEquals(min, r.windowStartNs());
            assertEquals(max, r.windowEndNs());
            assertEquals(max - min - all.build().totalLength(), r.idleNs());
            assertEquals(comp.build().totalLength(), r.computeNs());
        }
    }
}
