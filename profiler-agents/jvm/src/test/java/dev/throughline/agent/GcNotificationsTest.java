package dev.throughline.agent;

import dev.throughline.protocol.Frame;
import dev.throughline.protocol.SliceFrame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GC pauses without JFR: a real collection in this JVM arrives as a GC slice on the notifications' track. */
class GcNotificationsTest {
    @Test
    void aCollectionBecomesAGcPauseSlice() throws Exception {
        try (FakeCollector collector = FakeCollector.reading()) {
            Sender sender = Sender.connect(collector.args(), FakeCollector.handshake());
            GcNotifications gc = GcNotifications.start(sender, new ThreadIds());
            assertTrue(gc.status().startsWith("GC pauses from"), gc.status());
            long before = System.nanoTime();
            System.gc(); // G1 (or whichever collector runs the tests): a stop-the-world full collection
            long after = System.nanoTime();
            Thread.sleep(500); // notifications arrive on the JDK's own thread, after the collection
            gc.close();
            sender.finish(5000);

            List<SliceFrame> pauses = collector.frames.get().stream().filter(f -> f.type() == Frame.SLICE)
                    .map(f -> (SliceFrame) f).filter(s -> s.category() == 13).collect(Collectors.toList());
            assertFalse(pauses.isEmpty(), "System.gc() gave no GC slice");
            SliceFrame p = pauses.get(pauses.size() - 1);
            assertEquals("GC pause: System.gc()", collector.text(p.nameId()));
            assertEquals(ThreadIds.OS_TID_BASE, p.tid());
            // millisecond resolution on both ends, and the epoch → nanoTime offset: within a few ms of the call
            assertTrue(p.startNs() >= before - 5_000_000 && p.startNs() + p.durNs() <= after + 5_000_000,
                    "pause " + p.startNs() + " + " + p.durNs() + " outside the call " + before + "–" + after);
        }
    }

    @Test
    void onlyStopTheWorldCollectionsArePauses() {
        assertTrue(GcNotifications.isPause("end of minor GC"));
        assertTrue(GcNotifications.isPause("end of major GC"));
        assertFalse(GcNotifications.isPause("end of GC cycle"));
    }
}
