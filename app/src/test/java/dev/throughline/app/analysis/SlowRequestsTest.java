package dev.throughline.app.analysis;

import dev.throughline.app.ui.ServingCapture;
import dev.throughline.storage.CaptureReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.throughline.app.ui.ServingCapture.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slowest requests with their phases and GC overlap, and the latency histogram, on {@link ServingCapture}. */
class SlowRequestsTest {
    @TempDir
    Path dir;

    @Test
    void slowestFirstWithPhasesAndGcOverlap() throws Exception {
        Path file = ServingCapture.write(dir.resolve("serving.tlcap"));
        try (CaptureReader r = CaptureReader.open(file)) {
            List<SlowRequests.Request> slow = SlowRequests.load(r, 10);
            assertEquals(10, slow.size());
            for (int k = 0; k < 4; k++) {
                assertEquals(43_700_000L, slow.get(k).durNs(), "the four that queue 40 ms come first");
                assertEquals(ServingCapture.INFER, slow.get(k).name());
            }
            assertEquals(4_900_000L, slow.get(4).durNs(), "then the slowest fast ones (i % 10 == 9)");
            SlowRequests.Request gc = slow.stream().filter(q -> q.requestId() == 158).findFirst().orElseThrow();
            assertEquals(40 * MS, gc.queueNs());
            assertEquals(MS / 2, gc.batchWaitNs());
            assertEquals(2_700_000L, gc.computeNs());
            assertEquals(MS / 2, gc.respondNs());
            assertEquals(0, gc.otherNs());
            assertEquals(10 * MS, gc.gcNs(), "the pause lies inside its queue");
            assertEquals(157 * ServingCapture.SPACING, gc.startNs(), "from the capture's start");
            assertTrue(slow.stream().filter(q -> q.requestId() != 158).allMatch(q -> q.gcNs() == 0));

            List<SlowRequests.Request> all = SlowRequests.load(r, 1000);
            assertEquals(250, all.size(), "200 infer + 50 health");
            SlowRequests.Request health = all.get(all.size() - 1);
            assertEquals(ServingCapture.HEALTH, health.name());
            assertEquals(MS, health.otherNs(), "no phases: all of it is other");

            LatencyHistogram h = LatencyHistogram.load(r, ServingCapture.INFER);
            assertEquals(List.of(new LatencyHistogram.Bucket(1L << 22, 40), new LatencyHistogram.Bucket(1L << 23, 156),
                    new LatencyHistogram.Bucket(1L << 26, 4)), h.buckets());
            assertEquals(200, h.total());
            assertEquals(1L << 21, h.buckets().get(0).lowerNs());
            assertTrue(LatencyHistogram.load(r, "no such request").buckets().isEmpty());
        }
    }

    @Test
    void overlapsAddUpPerPause() {
        assertEquals(5, SlowRequests.overlap(List.of(new long[] {0, 10}, new long[] {20, 30}), 7, 22));
        assertEquals(0, SlowRequests.overlap(List.of(new long[] {0, 10}), 10, 20));
    }
}
