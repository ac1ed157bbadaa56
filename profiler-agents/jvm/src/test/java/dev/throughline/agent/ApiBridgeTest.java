package dev.throughline.agent;

import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;
import dev.throughline.protocol.Frame;
import dev.throughline.protocol.LossFrame;
import dev.throughline.protocol.SliceFrame;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiBridgeTest {
    @Test
    void theProgramsApiGetsABufferAndABatchPhaseBecomesOneSlicePerRequest() throws Exception {
        try (FakeCollector collector = FakeCollector.reading()) {
            Sender sender = Sender.connect(collector.args(), FakeCollector.handshake());
            ApiBridge bridge = new ApiBridge(sender);
            assertEquals(1, bridge.scan(null), "found through the system class loader");
            assertTrue(Throughline.active());
            try (Scope r = Throughline.request(41, "POST /infer")) {
                Throughline.phase("compute", 41, 42, 43).close();
            }
            Throughline.span("respond").close();
            bridge.uninstall();
            assertFalse(Throughline.active(), "install(null) on stop");
            Throughline.phase("after", 1).close(); // no agent: nothing sent
            sender.finish(5000);

            List<SliceFrame> slices = collector.frames.get().stream().filter(f -> f.type() == Frame.SLICE)
                    .map(f -> (SliceFrame) f).collect(Collectors.toList());
            assertEquals(5, slices.size(), slices.toString());
            Map<String, Object> computeArgs = args(collector, slices.get(0));
            assertEquals("compute", collector.text(slices.get(0).nameId()));
            assertEquals(3, slices.get(0).category());
            assertEquals(Map.of("request_id", 41L, "batch_size", 3L), computeArgs);
            assertEquals(Map.of("request_id", 43L, "batch_size", 3L), args(collector, slices.get(2)));
            assertEquals("POST /infer", collector.text(slices.get(3).nameId()));
            assertEquals(2, slices.get(3).category());
            assertEquals(Map.of("request_id", 41L), args(collector, slices.get(3)));
            assertEquals(14, slices.get(4).category());
            assertEquals(Thread.currentThread().getId(), slices.get(4).tid());
            assertTrue(slices.get(4).durNs() >= 0);
        }
    }

    /** A buffer that fills before the sender drains it: what arrives plus what the LOSS frame counts is all. */
    @Test
    void whatTheBufferDropsIsCountedInTheCapture() throws Exception {
        try (FakeCollector collector = FakeCollector.reading()) {
            Sender sender = Sender.connect(collector.args(), FakeCollector.handshake());
            ApiBridge bridge = new ApiBridge(sender, 8);
            bridge.scan(null);
            for (int i = 0; i < 2000; i++) {
                Throughline.span("s").close(); // ~50 ns each: 8 slots cannot hold 2,000 between two 50 ms drains
            }
            bridge.uninstall();
            sender.finish(5000);

            List<Frame> frames = collector.frames.get();
            long slices = frames.stream().filter(f -> f.type() == Frame.SLICE).count();
            long lost = frames.stream().filter(f -> f.type() == Frame.LOSS).map(f -> (LossFrame) f)
                    .filter(l -> collector.text(l.kindId()).equals(ApiBridge.LOSS_KIND))
                    .mapToLong(LossFrame::count).max().orElse(0);
            assertTrue(lost > 0, "2,000 spans into 8 slots: some dropped");
            assertEquals(2000, slices + lost, slices + " sent + " + lost + " lost");
        }
    }

    private static Map<String, Object> args(FakeCollector c, SliceFrame s) {
        Map<String, Object> m = new HashMap<>();
        for (SliceFrame.Arg a : s.args()) {
            m.put(c.text(a.keyId()), a.tag() == SliceFrame.Arg.TAG_LONG ? (Object) a.longValue() : c.text(a.stringId()));
        }
        return m;
    }
}
