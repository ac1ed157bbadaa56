package dev.throughline.storage.summary;

import static dev.throughline.storage.summary.TraceLensGpuTimeline.Kind.COMMUNICATION;
import static dev.throughline.storage.summary.TraceLensGpuTimeline.Kind.COMPUTATION;
import static dev.throughline.storage.summary.TraceLensGpuTimeline.Kind.MEMCPY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceLensGpuTimelineTest {

    @Test
    void classifiesLikeGetGpuEventLists() {
        assertEquals(MEMCPY, TraceLensGpuTimeline.Kind.classify(true, "Memcpy DtoH (Device -> Pinned)"));
        assertEquals(COMMUNICATION, TraceLensGpuTimeline.Kind.classify(false, "ncclDevKernel_AllGather_RING_LL"));
        assertEquals(COMMUNICATION, TraceLensGpuTimeline.Kind.classify(false, "void deep_ep::intranode::dispatch"));
        // memsets are computation for TraceLens
        assertEquals(COMPUTATION, TraceLensGpuTimeline.Kind.classify(false, "Memset (Device)"));
        assertEquals(COMPUTATION, TraceLensGpuTimeline.Kind.classify(false, "ampere_bf16_s16816gemm"));
    }

    /**
     * <pre>
     * computation [0,10) [20,30); communication [5,25); memcpy [24,40) [50,60); unlinked computation [100,200)
     * linked only: total [0,60) = 60; busy [0,40) + [50,60) = 50; idle 10; computation 20
     *   exposed comm = [5,25) - computation = [10,20) = 10
     *   exposed memcpy = [24,40) [50,60) - computation - communication = [30,40) [50,60) = 20
     *   20 + 10 + 20 + 10 = 60
     * with unlinked: total [0,200) = 200; busy 150; idle 50; computation 120
     * </pre>
     */
    @Test
    void metricsOfLinkedAndAllEvents() {
        TraceLensGpuTimeline t = new TraceLensGpuTimeline();
        t.add(COMPUTATION, 0, 10, true);
        t.add(COMPUTATION, 20, 30, true);
        t.add(COMMUNICATION, 5, 25, true);
        t.add(MEMCPY, 24, 40, true);
        t.add(MEMCPY, 50, 60, true);
        t.add(COMPUTATION, 100, 200, false);

        TraceLensGpuTimeline.Result r = t.compute(false, false).orElseThrow();
        assertEquals(0, r.windowStartNs());
        assertEquals(60, r.windowEndNs());
        assertEquals(60, r.totalNs());
        assertEquals(50, r.busyNs());
        assertEquals(10, r.idleNs());
        assertEquals(20, r.computationNs());
        assertEquals(10, r.exposedCommNs());
        assertEquals(20, r.exposedMemcpyNs());
        assertEquals(20, r.totalCommNs());
        assertEquals(26, r.totalMemcpyNs());
        assertEquals(5, r.gpuEvents());

        TraceLensGpuTimeline.Result all = t.compute(true, false).orElseThrow();
        assertEquals(200, all.totalNs());
        assertEquals(150, all.busyNs());
        assertEquals(50, all.idleNs());
        assertEquals(120, all.computationNs());
        assertEquals(6, all.gpuEvents());
    }

    @Test
    void noSelectedEventGivesNoResult() {
        TraceLensGpuTimeline t = new TraceLensGpuTimeline();
        assertTrue(t.compute(true, true).isEmpty());
        t.add(COMPUTATION, 0, 10, false);
        assertTrue(t.compute(false, true).isEmpty());
        assertEquals(10, t.compute(true, true).orElseThrow().busyNs());
    }

    /** TraceLens asserts computation + exposed comm + exposed memcpy + idle = total; so do we, on random data. */
    @Test
    void componentsAddUpToTotal() {
        Random rnd = new Random(11);
        for (int round = 0; round < 100; round++) {
            TraceLensGpuTimeline t = new TraceLensGpuTimeline();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                long s = rnd.nextInt(5_000) * 1000L; // whole microseconds
                t.add(TraceLensGpuTimeline.Kind.values()[rnd.nextInt(3)], s, s + rnd.nextInt(300) * 1000L, true);
            }
            TraceLensGpuTimeline.Result r = t.compute(false, false).orElseThrow();
            assertEquals(r.totalNs(), r.computationNs() + r.exposedCommNs() + r.exposedMemcpyNs() + r.idleNs());
            assertEquals(r.busyNs(), r.computationNs() + r.exposedCommNs() + r.exposedMemcpyNs());
            // integer microseconds are exact in float64 too: both modes agree
            assertEquals(r, t.compute(false, true).orElseThrow());
        }
    }

    /**
     * At PyTorch 2.x timestamp magnitudes (1.4e12 us with nanosecond decimals) TraceLens's float64 sums drift
     * from the exact ones. 3000 events: start 1428625731000000 + 1537 i + (7919 i mod 1000) ns, duration
     * 400 + (104729 i mod 600) ns; every 7th a memcpy, else every 11th a communication kernel. Expected
     * values from TraceLens's own arithmetic (Python floats of the trace decimals, compute_metrics_dict),
     * rounded to ns: busy 2098501 where the exact busy time is 2098500.
     */
    @Test
    void float64ModeReproducesTraceLensRounding() {
        TraceLensGpuTimeline t = new TraceLensGpuTimeline();
        for (long i = 0; i < 3000; i++) {
            long s = 1428625731000000L + i * 1537 + (i * 7919 % 1000);
            long d = 400 + (i * 104729 % 600);
            TraceLensGpuTimeline.Kind k = i % 7 == 0 ? MEMCPY : i % 11 == 0 ? COMMUNICATION : COMPUTATION;
            t.add(k, s, s + d, true);
        }
        TraceLensGpuTimeline.Result f = t.compute(false, true).orElseThrow();
        assertEquals(1637405, f.computationNs());
        assertEquals(161079, f.exposedCommNs());
        assertEquals(300018, f.exposedMemcpyNs());
        assertEquals(2098501, f.busyNs());
        assertEquals(2511714, f.idleNs());
        assertEquals(4610215, f.totalNs());
        TraceLensGpuTimeline.Result exact = t.compute(false, false).orElseThrow();
        assertEquals(2098500, exact.busyNs());
        assertEquals(4610215, exact.totalNs());
    }

    @Test
    void microsParsesLikePythonFloat() {
        assertEquals(1428625731667.049, TraceLensGpuTimeline.micros(1428625731667049L));
        assertEquals(2.368, TraceLensGpuTimeline.micros(2368));
        assertEquals(1623212388426996.0, TraceLensGpuTimeline.micros(1623212388426996000L));
        assertEquals(1623212388426996.5, TraceLensGpuTimeline.micros(1623212388426996500L));
        assertEquals(-0.5, TraceLensGpuTimeline.micros(-500));
    }
}
