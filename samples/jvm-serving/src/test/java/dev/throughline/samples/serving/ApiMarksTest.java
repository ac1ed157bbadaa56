package dev.throughline.samples.serving;

import dev.throughline.api.IntervalBuffer;
import dev.throughline.api.Throughline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the service tells the API, read from its buffer as the agent would: per request one request interval
 * named {@code POST /infer} and one each of queue, batch_wait, compute, respond, in that order and inside the
 * request; compute intervals name every request of their batch, never more than --max-batch.
 */
class ApiMarksTest {
    private record Interval(int category, String name, long startNs, long endNs, long[] ids) {
    }

    private final List<Interval> seen = new ArrayList<>();
    private final IntervalBuffer buffer = new IntervalBuffer(1 << 12);
    private InferenceService service;

    @AfterEach
    void stop() {
        Throughline.install(null);
        if (service != null) {
            service.stop();
        }
    }

    @Test
    @Timeout(60)
    void everyRequestHasItsFourPhasesInOrderAndBatchesAreBounded() throws Exception {
        Throughline.install(buffer);
        service = InferenceService.start(ServiceOptions.parse(new String[] {"--workers", "2", "--max-batch", "4",
                "--max-wait-ms", "2", "--hidden", "32"}));
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 6; c++) { // concurrent clients, so batches of more than one form
            int client = c;
            Thread t = new Thread(() -> {
                try (HttpConnection http = new HttpConnection("127.0.0.1", service.port())) {
                    for (int i = 0; i < 20; i++) {
                        byte[] body = Vectors.format(Vectors.input(client, i)).getBytes(StandardCharsets.US_ASCII);
                        assertEquals(200, http.post("/infer", body, 0).status());
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        Thread.sleep(100); // the last request scopes close right after their responses are written
        drain();
        assertEquals(0, buffer.dropped(), "600 intervals fit in 4,096 slots");

        Map<Long, Interval> requests = new HashMap<>();
        Map<Long, Map<String, Interval>> phases = new HashMap<>();
        int largestBatch = 0;
        for (Interval i : seen) {
            if (i.category == Throughline.REQUEST) {
                assertEquals(InferHandler.REQUEST_NAME, i.name);
                requests.put(i.ids[0], i);
            } else if (i.category == Throughline.PHASE) {
                if (i.name.equals("compute")) {
                    largestBatch = Math.max(largestBatch, i.ids.length);
                }
                for (long id : i.ids) {
                    Interval previous = phases.computeIfAbsent(id, k -> new HashMap<>()).put(i.name, i);
                    assertEquals(null, previous, "one " + i.name + " per request");
                }
            }
        }
        assertEquals(120, requests.size());
        assertTrue(largestBatch >= 1 && largestBatch <= 4, "batch of " + largestBatch);
        for (Map.Entry<Long, Interval> e : requests.entrySet()) {
            Map<String, Interval> p = phases.get(e.getKey());
            Interval r = e.getValue();
            long t = r.startNs;
            for (String name : List.of("queue", "batch_wait", "compute", "respond")) {
                Interval phase = p.get(name);
                assertTrue(phase != null, "request " + e.getKey() + " has no " + name);
                assertTrue(phase.startNs >= t && phase.endNs <= r.endNs, name + " in order and inside the request");
                t = phase.endNs;
            }
        }
    }

    private void drain() {
        long[] longs = new long[64 * IntervalBuffer.LONGS];
        Object[] refs = new Object[64 * IntervalBuffer.REFS];
        int n;
        while ((n = buffer.drain(longs, refs)) > 0) {
            for (int i = 0; i < n; i++) {
                int l = i * IntervalBuffer.LONGS;
                int count = (int) longs[l + 5];
                long[] ids = count == 1 ? new long[] {longs[l + 4]} : (long[]) refs[i * IntervalBuffer.REFS + 1];
                seen.add(new Interval((int) longs[l], (String) refs[i * IntervalBuffer.REFS], longs[l + 2], longs[l + 3], ids));
            }
        }
    }
}
