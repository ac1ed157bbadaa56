package dev.throughline.app.analysis;

import dev.throughline.app.report.Report;
import dev.throughline.app.report.ReportJson;
import dev.throughline.app.report.ReportText;
import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * queueing_tail, gc_tail and cpu_hotspot on captures written here the way the JVM agent writes them: request
 * slices (request_id) on an HTTP thread, queue there, batch_wait/compute/respond on a worker thread, GC pauses on
 * a GC thread of the same process, CPU samples per thread. Every expected figure is worked out by hand in the
 * comments: 200 requests, so the nearest-rank p99 is the 198th latency and the p50 the 100th.
 */
class RequestRulesTest {
    private static final long MS = 1_000_000L;
    private static final long SPACING = 50 * MS;
    private static final long T0 = 1_000_000_000_000L;

    @TempDir
    Path dir;

    /** One request's phases; its latency is their sum. */
    private record Req(long queue, long batchWait, long compute, long respond) {
        long latency() {
            return queue + batchWait + compute + respond;
        }
    }

    /** What a test adds besides the requests: GC pauses and samples. */
    private interface Extra {
        void write(CaptureWriter w, int gcTrack, int httpThread, int workerThread);
    }

    private Report report(String name, IntFunction<Req> requests, Extra extra) throws Exception {
        Path file = dir.resolve(name + ".tlcap");
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(4242, "jvm-serving");
            int http = w.thread(p, 11, "http-io-1");
            int worker = w.thread(p, 12, "batch-worker-1");
            int gcThread = w.thread(p, 13, "GC Thread#0");
            int httpTrack = w.track(TrackKind.THREAD, p, http, null, null, null);
            int workerTrack = w.track(TrackKind.THREAD, p, worker, null, null, null);
            int gcTrack = w.track(TrackKind.THREAD, p, gcThread, null, null, null);
            for (int i = 0; i < 200; i++) {
                Req r = requests.apply(i);
                long id = i + 1;
                long s = T0 + i * SPACING;
                long args = w.args(new ArgSet().put("request_id", id));
                long computeArgs = w.args(new ArgSet().put("request_id", id).put("batch_size", 1L));
                w.slice(httpTrack, s, r.queue, w.string("queue"), Category.PHASE, 1, -1, -1, args);
                long t = s + r.queue;
                w.slice(workerTrack, t, r.batchWait, w.string("batch_wait"), Category.PHASE, 0, -1, -1, args);
                t += r.batchWait;
                w.slice(workerTrack, t, r.compute, w.string("compute"), Category.PHASE, 0, -1, -1, computeArgs);
                t += r.compute;
                w.slice(workerTrack, t, r.respond, w.string("respond"), Category.PHASE, 0, -1, -1, args);
                w.slice(httpTrack, s, r.latency(), w.string("POST /infer"), Category.REQUEST, 0, -1, -1, args);
            }
            extra.write(w, gcTrack, http, worker);
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            return Report.of(r);
        }
    }

    private static Optional<Finding> finding(Report report, String rule) {
        return report.findings().stream().filter(f -> f.rule().equals(rule)).findFirst();
    }

    private static final Extra NOTHING = (w, gc, http, worker) -> { };

    @Test
    void queueingThatDominatesTheTailIsFound() throws Exception {
        // 196 requests: queue 1, batch_wait 0.5, compute 1, respond 0.5 = 3 ms; 4 (i < 4) queue 41 ms = 43 ms
        Report report = report("queueing", i -> new Req(i < 4 ? 41 * MS : MS, MS / 2, MS, MS / 2), NOTHING);
        RequestTail t = report.overview().requestTails().get(0);
        assertEquals(200, t.count());
        assertEquals(3 * MS, t.p50Ns());
        assertEquals(43 * MS, t.p99Ns()); // 198th of 196 × 3 ms, 4 × 43 ms
        assertEquals(report.overview().latencies().get(0).p99Ns(), t.p99Ns(), "same p99 as summary_latency");
        assertEquals(4, t.tailCount());
        assertEquals(43 * MS, t.tailMeanNs());
        assertEquals(41 * MS, t.tailPhaseNs("queue"));
        assertEquals(MS / 2, t.tailPhaseNs("batch_wait"));
        assertEquals(0, t.tailPhaseNs("other"));
        assertEquals(3 * MS / 2, t.medianQueueingNs());

        Finding f = finding(report, "queueing_tail").orElseThrow();
        // (41 + 0.5) / 43 = 96.5 % of the tail waits: far above the 60 % HIGH bar, score capped at 100
        assertEquals(Severity.HIGH, f.severity());
        assertEquals(100, f.score());
        assertTrue(f.message().contains("97 %"), f.message());
        assertTrue(f.evidence().contains("queue 41.00 ms"), f.evidence());
        assertTrue(f.recommendation().contains("add workers"), f.recommendation());
        // the 4 slow ones lose 41.5 − 1.5 ms of queueing: every request takes 3 ms
        assertEquals(new WhatIf("p99_ns", 43 * MS, 3 * MS), f.whatIf());
        assertTrue(finding(report, "gc_tail").isEmpty());
        assertTrue(finding(report, "cpu_hotspot").isEmpty());

        String json = json(report);
        assertTrue(json.matches("(?s).*\"tail\" : \\{\\s*\"threshold_ns\" : 43000000,\\s*\"count\" : 4,.*"), json);
        assertTrue(json.matches("(?s).*\"phase_mean_ns\" : \\{\\s*\"queue\" : 41000000,.*"), json);
        String text = text(report);
        assertTrue(text.contains("tail ≥ p99: 4 requests, mean 43.00 ms: queue 95 % · batch_wait 1.2 % · compute 2.3 %"
                + " · respond 1.2 % · other 0 %; GC pauses overlap 0 %"), text);
    }

    @Test
    void gcPausesOverTheSlowestRequestsAreFound() throws Exception {
        // 196 requests: 0.5 + 0.5 + 1.5 + 0.5 = 3 ms; 4 (i % 50 == 7) compute 13.5 ms = 15 ms, a 3 ms GC pause
        // inside each compute; one more pause between requests, over none
        Report report = report("gc", i -> new Req(MS / 2, MS / 2, i % 50 == 7 ? 27 * MS / 2 : 3 * MS / 2, MS / 2),
                (w, gcTrack, http, worker) -> {
                    for (int i = 7; i < 200; i += 50) {
                        long computeStart = T0 + i * SPACING + MS;
                        w.slice(gcTrack, computeStart + 5 * MS, 3 * MS, w.string("GC pause: G1 Evacuation Pause"),
                                Category.GC, 0, -1, -1, 0);
                    }
                    w.slice(gcTrack, T0 + 100 * SPACING + 20 * MS, 8 * MS, w.string("GC pause: G1 Evacuation Pause"),
                            Category.GC, 0, -1, -1, 0);
                });
        RequestTail t = report.overview().requestTails().get(0);
        assertEquals(15 * MS, t.p99Ns());
        assertEquals(4, t.tailCount());
        assertEquals(3 * MS, t.tailGcOverlapMeanNs());
        assertEquals(5, t.gcPauses());

        Finding f = finding(report, "gc_tail").orElseThrow();
        // 3 / 15 = 20 %: between 10 % (score 34) and 30 % (67): 34 + 0.10 × 33 / 0.20 = 50.5 → 51
        assertEquals(Severity.MODERATE, f.severity());
        assertEquals(51, f.score());
        assertTrue(f.message().contains("20 %"), f.message());
        assertTrue(f.evidence().startsWith("5 GC pauses"), f.evidence());
        // without the overlap the 4 slow ones take 12 ms: the 198th latency is 12 ms
        assertEquals(new WhatIf("p99_ns", 15 * MS, 12 * MS), f.whatIf());
        assertTrue(finding(report, "queueing_tail").isEmpty(), "1 ms of 15 ms waits: 6.7 %");
    }

    @Test
    void aFrameThatDominatesTheRequestPathIsFound() throws Exception {
        // every request: 0.2 + 0.2 + 2.1 + 0.5 = 3 ms (queueing 13 %: no queueing finding)
        Report report = report("hotspot", i -> new Req(MS / 5, MS / 5, 21 * MS / 10, MS / 2),
                (w, gcTrack, http, worker) -> {
                    int run = w.callsite(0, w.frame("java.lang.Thread.run", "Thread.java", 833), 0);
                    int loop = w.callsite(run, w.frame("dev.throughline.samples.serving.BatchWorker.run", null, 40), 1);
                    int forward = w.callsite(loop, w.frame("dev.throughline.samples.serving.Mlp.forward", null, 70), 2);
                    int dense = w.callsite(forward, w.frame("dev.throughline.samples.serving.Mlp.dense", null, 80), 3);
                    int format = w.callsite(loop, w.frame("dev.throughline.samples.serving.Vectors.format", null, 15), 2);
                    int reply = w.callsite(loop, w.frame("dev.throughline.samples.serving.InferHandler.reply", null, 60), 2);
                    int park = w.callsite(loop, w.frame("jdk.internal.misc.Unsafe.park", null, -1), 2);
                    int hash = w.callsite(run, w.frame("java.util.HashMap.hash", null, 338), 1);
                    long ts = T0;
                    // worker (request path): dense 105, format 100, reply 95 (= 300), park 100 (waiting: left out)
                    int[][] onWorker = {{dense, 105}, {format, 100}, {reply, 95}, {park, 100}};
                    for (int[] f : onWorker) {
                        for (int k = 0; k < f[1]; k++) {
                            w.sample(worker, ts += MS, f[0], 1);
                        }
                    }
                    // the HTTP thread runs only queue phases: not the request path, its 500 samples do not count
                    for (int k = 0; k < 500; k++) {
                        w.sample(http, ts += MS, hash, 1);
                    }
                });
        CpuSamples cpu = report.overview().cpuSamples();
        assertTrue(cpu.requestPath());
        assertEquals(300, cpu.total());

        Finding f = finding(report, "cpu_hotspot").orElseThrow();
        // 105 / 300 = 35 %: 34 + (0.35 − 0.20) × 33 / 0.20 = 58.75 → 59
        assertEquals(Severity.MODERATE, f.severity());
        assertEquals(59, f.score());
        assertTrue(f.message().contains("Mlp.dense holds 35 %"), f.message());
        assertTrue(f.evidence().contains("105 of 300 samples"), f.evidence());
        assertTrue(f.evidence().contains("Vectors.format 33 %"), f.evidence());
        // compute + respond = 2.6 ms per request; halving a frame with 35 % of it saves 0.35 × 2.6 / 2 = 0.455 ms
        assertEquals(new WhatIf("request_mean_ns", 3 * MS, 3 * MS - 455_000), f.whatIf());
        assertTrue(finding(report, "queueing_tail").isEmpty());
        assertTrue(finding(report, "gc_tail").isEmpty());
    }

    @Test
    void aHealthyServiceHasNoFindings() throws Exception {
        // 3 ms requests with 13 % queueing, no GC, samples spread over 10 frames (10 % each)
        Report report = report("healthy", i -> new Req(MS / 5, MS / 5, 21 * MS / 10, MS / 2),
                (w, gcTrack, http, worker) -> {
                    List<Integer> leaves = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        leaves.add(w.callsite(0, w.frame("dev.throughline.Work.step" + k, null, k), 0));
                    }
                    long ts = T0;
                    for (int k = 0; k < 200; k++) {
                        w.sample(worker, ts += MS, leaves.get(k % 10), 1);
                    }
                });
        assertEquals(200, report.overview().cpuSamples().total());
        assertEquals(List.of(), report.findings());
        assertFalse(report.overview().requestTails().isEmpty());
    }

    @Test
    void samplesWithoutRequestsAreNotReadAsCpu() throws Exception {
        // a training capture: the Python agent's wall-clock stacks, here all in a frame that sleeps for data
        Path file = dir.resolve("training.tlcap");
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(1, "train.py");
            int main = w.thread(p, 1, "MainThread");
            w.track(TrackKind.THREAD, p, main, null, null, null);
            int leaf = w.callsite(0, w.frame("SyntheticDataset.__getitem__", "train.py", 51), 0);
            for (int k = 0; k < 300; k++) {
                w.sample(main, T0 + k * MS, leaf, 1);
            }
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            Report report = Report.of(r);
            assertEquals(0, report.overview().cpuSamples().total());
            assertTrue(finding(report, "cpu_hotspot").isEmpty());
        }
    }

    private static String json(Report report) throws Exception {
        StringWriter out = new StringWriter();
        ReportJson.write(report, out);
        return out.toString();
    }

    private static String text(Report report) {
        StringWriter out = new StringWriter();
        ReportText.write(report, new PrintWriter(out));
        return out.toString();
    }
}
