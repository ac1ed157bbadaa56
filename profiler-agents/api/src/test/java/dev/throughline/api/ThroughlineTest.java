package dev.throughline.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ThroughlineTest {
    record Recorded(int category, String name, long threadId, long startNs, long endNs, long[] requestIds) {
    }

    private final List<Recorded> recorded = new ArrayList<>();

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
        Throughline.install(this::record);
        long first = Throughline.newRequestId();
        long second = Throughline.newRequestId();
        assertEquals(first + 1, second);
        Scope request = Throughline.request(first, "POST /infer");
        try (Scope compute = Throughline.phase("compute", first, second)) {
            Thread.sleep(2);
        }
        // a request may end on another thread than the one that opened it
        Thread responder = new Thread(request::close);
        responder.start();
        responder.join();
        request.close(); // a second close records nothing

        assertEquals(2, recorded.size());
        Recorded compute = recorded.get(0);
        assertEquals(Sink.PHASE, compute.category());
        assertEquals("compute", compute.name());
        assertArrayEquals(new long[] {first, second}, compute.requestIds());
        assertTrue(compute.endNs() - compute.startNs() >= 2_000_000, "slept 2 ms inside the phase");
        Recorded req = recorded.get(1);
        assertEquals(Sink.REQUEST, req.category());
        assertEquals(Thread.currentThread().getId(), req.threadId(), "the opening thread, not the closing one");
        assertTrue(req.startNs() <= compute.startNs() && req.endNs() >= compute.endNs());
    }

    @Test
    void stepsRunFromOneMarkToTheNext() {
        Throughline.install(this::record);
        Throughline.step();
        Throughline.step();
        Throughline.step();
        assertEquals(2, recorded.size());
        assertEquals(recorded.get(0).endNs(), recorded.get(1).startNs());
        assertTrue(recorded.stream().allMatch(r -> r.category() == Sink.STEP));
    }

    @Test
    void aSinkThatThrowsNeverReachesTheCaller() {
        Throughline.install((c, n, t, s, e, ids) -> {
            throw new IllegalStateException("collector gone");
        });
        assertDoesNotThrow(() -> Throughline.span("user code").close());
    }

    private void record(int category, String name, long threadId, long startNs, long endNs, long[] requestIds) {
        recorded.add(new Recorded(category, name, threadId, startNs, endNs, Arrays.copyOf(requestIds, requestIds.length)));
    }
}
