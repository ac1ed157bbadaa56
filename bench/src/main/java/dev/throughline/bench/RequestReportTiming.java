package dev.throughline.bench;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.RequestTails;
import dev.throughline.app.report.Report;
import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * How long the request-tail analysis takes on a capture of {@code N} requests (default 100,000) shaped like
 * samples/jvm-serving's: per request a request slice and queue/batch_wait/compute/respond phases (5 slices,
 * each with its own request_id argument set), a GC pause every 200 requests, 20 CPU samples per 100 requests.
 * Writes the capture once, then times, in this JVM, {@code RequestTails.load} (the slice scan and join) and
 * the whole {@code Report.of} (every summary read, every rule), 5 runs each after 2 warm-ups.
 * Usage: java -cp throughline-bench.jar dev.throughline.bench.RequestReportTiming OUT.tlcap [N]
 */
public final class RequestReportTiming {
    private RequestReportTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        if (!java.nio.file.Files.exists(file)) { // written once, reused by later runs
            long t0 = System.nanoTime();
            write(file, n);
            System.out.printf("wrote %s: %,d requests, %,d slices in %.1f s%n", file, n, n * 5 + n / 200,
                    (System.nanoTime() - t0) / 1e9);
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            for (int run = -2; run < 5; run++) {
                long scan = System.nanoTime();
                long[] rows = new long[1];
                r.forEachRequestSlice((category, name, st, dur, id, process, thread) -> rows[0]++);
                long a = System.nanoTime();
                RequestTails tails = RequestTails.load(r);
                long b = System.nanoTime();
                Report report = Report.of(r);
                long c = System.nanoTime();
                if (run >= 0) {
                    System.out.printf("run %d: scan alone %.0f ms (%,d rows), RequestTails.load %.0f ms, Report.of %.0f ms"
                                    + " (%d findings; p99 %d ns)%n", run, (a - scan) / 1e6, rows[0], (b - a) / 1e6, (c - b) / 1e6, report.findings().size(), tails.byName().get(0).p99Ns());
                }
            }
        }
    }

    private static void write(Path file, int n) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        try (CaptureWriter w = CaptureWriter.create(file, true)) {
            int p = w.process(1, "jvm-serving");
            int http = w.thread(p, 11, "http-io-1");
            int worker = w.thread(p, 12, "batch-worker-1");
            int gc = w.thread(p, 13, "GC Thread#0");
            int httpTrack = w.track(TrackKind.THREAD, p, http, null, null, null);
            int workerTrack = w.track(TrackKind.THREAD, p, worker, null, null, null);
            int gcTrack = w.track(TrackKind.THREAD, p, gc, null, null, null);
            int request = w.string("POST /infer");
            int[] phase = {w.string("queue"), w.string("batch_wait"), w.string("compute"), w.string("respond")};
            int pause = w.string("GC pause: G1 Evacuation Pause");
            int root = w.callsite(0, w.frame("java.lang.Thread.run", null, 1), 0);
            int[] leaves = new int[8];
            for (int k = 0; k < leaves.length; k++) {
                leaves[k] = w.callsite(root, w.frame("dev.throughline.samples.serving.Mlp.f" + k, null, k), 1);
            }
            ArgSet set = new ArgSet();
            long start = 1_000_000_000_000L;
            for (int i = 0; i < n; i++) {
                long s = start + i * 1_000_000L; // 1,000 requests/s
                long[] dur = {random.nextLong(100_000, i % 97 == 0 ? 20_000_000 : 500_000),
                        random.nextLong(0, 2_000_000), random.nextLong(300_000, 600_000), random.nextLong(20_000, 80_000)};
                set.clear();
                long args = w.args(set.put("request_id", (long) i + 1));
                long t = s;
                for (int k = 0; k < 4; k++) {
                    w.slice(k == 0 ? httpTrack : workerTrack, t, dur[k], phase[k], Category.PHASE, 0, -1, -1, args);
                    t += dur[k];
                }
                w.slice(httpTrack, s, t - s, request, Category.REQUEST, 0, -1, -1, args);
                if (i % 200 == 0) {
                    w.slice(gcTrack, s + 500_000, random.nextLong(1_000_000, 10_000_000), pause, Category.GC, 0, -1, -1, 0);
                }
                if (i % 5 == 0) {
                    w.sample(worker, s + 10_000, leaves[random.nextInt(leaves.length)], 1);
                }
            }
        }
    }
}
