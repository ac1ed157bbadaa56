package dev.throughline.storage;

import dev.throughline.storage.model.FrameSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reader's typed queries for request analysis: request/phase/GC slices with request ids, self samples. */
class RequestQueriesTest {
    @TempDir
    Path dir;

    @Test
    void requestPhaseAndGcSlicesComeWithTheirRequestIdsAndSamplesGroupByLeafFrame() throws Exception {
        Path file = dir.resolve("requests.tlcap");
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(7, "serving");
            int http = w.thread(p, 1, "http");
            int worker = w.thread(p, 2, "worker");
            int httpTrack = w.track(TrackKind.THREAD, p, http, null, null, null);
            int workerTrack = w.track(TrackKind.THREAD, p, worker, null, null, null);
            // a double and a string before the id: findLong must skip them
            long args = w.args(new ArgSet().put("ratio", 0.5).put("route", "/infer").put("request_id", 300L));
            long batch = w.args(new ArgSet().put("request_id", 300L).put("batch_size", 4L));
            w.slice(httpTrack, 1_000, 900, w.string("POST /infer"), Category.REQUEST, 0, -1, -1, args);
            w.slice(workerTrack, 1_100, 500, w.string("compute"), Category.PHASE, 0, -1, -1, batch);
            w.slice(workerTrack, 1_200, 50, w.string("GC pause: G1 Evacuation Pause"), Category.GC, 0, -1, -1, 0);
            w.slice(workerTrack, 1_300, 10, w.string("aten::mm"), Category.CPU_OP, 0, -1, -1, 0);
            int root = w.callsite(0, w.frame("java.lang.Thread.run", null, 1), 0);
            int leaf = w.callsite(root, w.frame("a.B.hot", null, 2), 1);
            w.sample(worker, 1_150, leaf, 1);
            w.sample(worker, 1_160, leaf, 2);
            w.sample(http, 1_170, root, 1);
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            List<String> rows = new ArrayList<>();
            r.forEachRequestSlice((category, name, start, dur, requestId, process, thread) ->
                    rows.add(category + " " + name + " " + start + " " + dur + " " + requestId + " " + process + " " + thread));
            rows.sort(null); // the scan's order is SQLite's
            assertEquals(List.of("GC GC pause: G1 Evacuation Pause 1200 50 -1 1 2", "PHASE compute 1100 500 300 1 2",
                    "REQUEST POST /infer 1000 900 300 1 1"), rows);
            assertEquals(List.of(new FrameSamples("a.B.hot", 3), new FrameSamples("java.lang.Thread.run", 1)),
                    r.selfSamples(Set.of()));
            assertEquals(List.of(new FrameSamples("a.B.hot", 3)), r.selfSamples(Set.of(2)));
        }
    }
}
