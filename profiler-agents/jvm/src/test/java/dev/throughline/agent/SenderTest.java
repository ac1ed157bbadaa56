package dev.throughline.agent;

import dev.throughline.protocol.ByeFrame;
import dev.throughline.protocol.Frame;
import dev.throughline.protocol.LossFrame;
import dev.throughline.protocol.SliceFrame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderTest {
    /** Far more than the queue and both socket buffers hold (~57 bytes each on the wire). */
    private static final int EVENTS = 1_000_000;

    @Test
    void aCollectorThatStopsReadingCostsTheHostDropsNotWaitsAndTheCountArrives() throws Exception {
        try (FakeCollector collector = FakeCollector.stalled()) {
            Sender sender = Sender.connect(collector.args(), FakeCollector.handshake());
            int accepted = 0;
            for (int i = 0; i < EVENTS; i++) { // a host thread: every offer returns at once, true or false
                if (sender.offer(new Event.Slice(14, 1, i, 1, "work " + (i % 100), "request_id", (long) i))) {
                    accepted++;
                }
            }
            long dropped = sender.dropped();
            assertTrue(dropped > 0, "the collector never read: the bounded queue overflowed");
            assertEquals(EVENTS, accepted + dropped, "each event either queued or counted");

            collector.startReading();
            sender.finish(10_000);
            assertFalse(sender.running(), "no sender thread outlives finish()");
            List<Frame> frames = collector.frames.get();
            List<LossFrame> losses = frames.stream().filter(f -> f instanceof LossFrame).map(f -> (LossFrame) f)
                    .collect(Collectors.toList());
            assertFalse(losses.isEmpty());
            LossFrame last = losses.get(losses.size() - 1);
            assertEquals(Sender.LOSS_KIND, collector.text(last.kindId()));
            assertEquals(dropped, last.count(), "cumulative: the last LOSS says every drop");
            assertEquals(accepted, frames.stream().filter(f -> f instanceof SliceFrame).count(), "every queued event arrived");
            assertEquals(ByeFrame.INSTANCE, frames.get(frames.size() - 1));
        }
    }

    @Test
    void aCollectorThatNeverReadsIsCutAtFinish() throws Exception {
        try (FakeCollector collector = FakeCollector.stalled()) {
            Sender sender = Sender.connect(collector.args(), FakeCollector.handshake());
            for (int i = 0; i < EVENTS; i++) {
                sender.offer(new Event.Slice(14, 1, i, 1, "work " + i));
            }
            sender.finish(200);
            assertFalse(sender.running(), "blocked on a full socket, the sender is cut, not left behind");
        }
    }
}
