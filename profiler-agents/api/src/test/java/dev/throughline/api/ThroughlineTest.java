package dev.throughline.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ThroughlineTest {
    record Recorded(int category, String name, long threadId, long startNs, long endNs, long[] requestIds) {
    }

    @AfterEach
    void uninstall() {
        Throughline.install(null);
    }

    @Test
    void withoutAgentEveryScopeIsTheSameNoOp() {
        assertFalse(Throughline.active());
        Scope a = Throughline.request(1, "GET /");
        Scope b = Throughline.phase("queue", 1);
        Scope c = Throughline.span("x");
        assertSame(a, b);
        assertSame(b, c);
        c.close();
        Throughline.step();
    }

    @Test
    void phasesOfABatchNameEveryRequest() throws Exception {
        IntervalBuffer buffer = new IntervalBuffer(64);
        Throughline.install(buffer);
        long first = Throughline.newRequestId();
        long second = Throughline.newRequestId();
        assertEquals(first + 1, second);
        Scope request = Throughline.request(first, "POST /infer");
        long[] batch = {first, second};
        try (Scope compute = Throughline.phase("compute", batch)) {
            batch[1] = -1; // the caller may reuse its array at once: the scope keeps its own copy
            Thread.sleep(2);
        }
        // a request may end on another thread than the one that opened it
        Thread responder = new Thread(request::close);
        responder.start();
        responder.join();
        request.close(); // a second close records nothing
        Throughline.phase("respond", new long[] {second}).close();

        List<Recorded> recorded = drain(buffer);
        assertEquals(3, recorded.size());
        Recorded compute = recorded.get(0);
        assertEquals(Throughline.PHASE, compute.category());
        assertEquals("compute", compute.name());
        assertArrayEquals(new long[] {first, second}, compute.requestIds());
        assertTrue(compute.endNs() - compute.startNs() >= 2_000_000, "slept 2 ms inside the phase");
        Recorded req = recorded.get(1);
        assertEquals(Throughline.REQUEST, req.category());
        assertArrayEquals(new long[] {first}, req.requestIds());
        assertEquals(Thread.currentThread().getId(), req.threadId(), "the opening thread, not the closing one");
        assertTrue(req.startNs() <= compute.startNs() && req.endNs() >= compute.endNs());
        assertArrayEquals(new long[] {second}, recorded.get(2).requestIds(), "a one-id batch is a plain phase");
        assertEquals(0, buffer.dropped());
    }

    @Test
    void stepsRunFromOneMarkToTheNext() {
        IntervalBuffer buffer = new IntervalBuffer(64);
        Throughline.install(buffer);
        Throughline.step();
        Throughline.step();
        Throughline.step();
        List<Recorded> recorded = drain(buffer);
        assertEquals(2, recorded.size());
        assertEquals(recorded.get(0).endNs(), recorded.get(1).startNs());
        assertTrue(recorded.stream().allMatch(r -> r.category() == Throughline.STEP && r.requestIds().length == 0));
    }

    @Test
    void aFullBufferDropsAndCountsWithoutBlocking() {
        IntervalBuffer buffer = new IntervalBuffer(8);
        assertEquals(8, buffer.capacity());
        Throughline.install(buffer);
        for (int i = 0; i < 20; i++) {
            Throughline.span("s" + i).close();
        }
        assertEquals(12, buffer.dropped());
        List<Recorded> kept = drain(buffer);
        assertEquals(8, kept.size());
        assertEquals("s0", kept.get(0).name());
        assertEquals("s7", kept.get(7).name());
        Throughline.span("after").close(); // room again once read
        assertEquals("after", drain(buffer).get(0).name());
    }

    /**
     * Many writers at once, one reader draining while they write: every interval arrives exactly once. (The ring is
     * large enough for all of them, so that a reader descheduled on a busy machine cannot make the test drop.)
     */
    @Test
    void concurrentWritersLoseNothingWhileTheReaderDrains() throws Exception {
        IntervalBuffer buffer = new IntervalBuffer(1 << 17);
        Throughline.install(buffer);
        int threads = 4;
        int each = 20_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            Thread w = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    Throughline.phase("p", base + i + 1).close();
                    if (i % 64 == 0) {
                        Thread.yield();
                    }
                }
            });
            writers.add(w);
        }
        Set<Long> seen = new HashSet<>();
        writers.forEach(Thread::start);
        long[] longs = new long[64 * IntervalBuffer.LONGS];
        Object[] refs = new Object[64 * IntervalBuffer.REFS];
        while (writers.stream().anyMatch(Thread::isAlive) || seen.size() < threads * each) {
            // seen before the drain: once the writers are gone, everything they wrote is published, so an empty
            // drain after that means nothing more will come (a second drain to confirm would lose what it returned)
            boolean writersDone = writers.stream().noneMatch(Thread::isAlive);
            int n = buffer.drain(longs, refs);
            for (int i = 0; i < n; i++) {
                assertTrue(seen.add(longs[i * IntervalBuffer.LONGS + 4]), "twice: " + longs[i * IntervalBuffer.LONGS + 4]);
                assertEquals("p", refs[i * IntervalBuffer.REFS]);
            }
            if (n == 0 && writersDone && seen.size() < threads * each) {
                fail("writers done, " + seen.size() + " of " + threads * each + " intervals drained");
            }
        }
        assertEquals(threads * each, seen.size());
        assertEquals(0, buffer.dropped());
    }

    @Test
    void theRingIsReusedRoundAfterRound() {
        IntervalBuffer buffer = new IntervalBuffer(4);
        Throughline.install(buffer);
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 3; i++) {
                Throughline.phase("p", round * 3 + i).close();
            }
            List<Recorded> r = drain(buffer);
            assertEquals(3, r.size());
            assertArrayEquals(new long[] {round * 3 + 2}, r.get(2).requestIds());
        }
        assertEquals(0, buffer.dropped());
    }

    private static List<Recorded> drain(IntervalBuffer buffer) {
        long[] longs = new long[16 * IntervalBuffer.LONGS];
        Object[] refs = new Object[16 * IntervalBuffer.REFS];
        List<Recorded> out = new ArrayList<>();
        int n;
        while ((n = buffer.drain(longs, refs)) > 0) {
            for (int i = 0; i < n; i++) {
                int l = i * IntervalBuffer.LONGS;
                int count = (int) longs[l + 5];
                long[] ids = count == 0 ? new long[0] : count == 1 ? new long[] {longs[l + 4]}
                        : (long[]) refs[i * IntervalBuffer.REFS + 1];
                out.add(new Recorded((int) longs[l], (String) refs[i * IntervalBuffer.REFS], longs[l + 1], longs[l + 2],
                        longs[l + 3], ids));
            }
        }
        return out;
    }
}
