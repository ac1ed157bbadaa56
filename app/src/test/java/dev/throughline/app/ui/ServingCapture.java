package dev.throughline.app.ui;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;

import java.nio.file.Path;

/**
 * A serving capture written the way the JVM agent writes one, with figures worked out by hand. 200 "POST /infer"
 * requests, 50 ms apart: request i has queue 1 ms, batch_wait 0.5 ms, compute 2 + (i % 10) × 0.1 ms, respond
 * 0.5 ms (latency 4.0 … 4.9 ms), except the four with i % 50 == 7, which queue 40 ms (43.7 ms). So, nearest-rank:
 * p50 4.4 ms (the 100th: residues 0–4 × 20), p90 4.9 ms (the 180th), p99 = p99.9 = max 43.7 ms, a tail of 4.
 * A 10 ms GC pause falls inside request 157's queue (tail GC overlap 10 / 4 = 2.5 ms per request). Log2 buckets:
 * 4.0 and 4.1 ms (40) ≤ 2^22 ns, the other 156 fast ones ≤ 2^23, the 4 slow ones ≤ 2^26. Plus 50 "GET /health"
 * requests of 1 ms without phases.
 */
public final class ServingCapture {
    public static final long MS = 1_000_000L;
    public static final long T0 = 1_000_000_000_000L;
    public static final long SPACING = 50 * MS;
    public static final String INFER = "POST /infer";
    public static final String HEALTH = "GET /health";

    private ServingCapture() {
    }

    public static long queue(int i) {
        return i % 50 == 7 ? 40 * MS : MS;
    }

    public static long compute(int i) {
        return 2 * MS + (i % 10) * MS / 10;
    }

    public static long latency(int i) {
        return queue(i) + MS / 2 + compute(i) + MS / 2;
    }

    public static Path write(Path file) throws Exception {
        try (CaptureWriter w = CaptureWriter.create(file, true)) {
            int p = w.process(4242, "jvm-serving");
            int http = w.thread(p, 11, "http-io-1");
            int worker = w.thread(p, 12, "batch-worker-1");
            int gcThread = w.thread(p, 13, "GC Thread#0");
            int httpTrack = w.track(TrackKind.THREAD, p, http, null, null, null);
            int workerTrack = w.track(TrackKind.THREAD, p, worker, null, null, null);
            int gcTrack = w.track(TrackKind.THREAD, p, gcThread, null, null, null);
            for (int i = 0; i < 200; i++) {
                long id = i + 1;
                long s = T0 + i * SPACING;
                long args = w.args(new ArgSet().put("request_id", id));
                w.slice(httpTrack, s, latency(i), w.string(INFER), Category.REQUEST, 0, -1, -1, args);
                w.slice(httpTrack, s, queue(i), w.string("queue"), Category.PHASE, 1, -1, -1, args);
                long t = s + queue(i);
                w.slice(workerTrack, t, MS / 2, w.string("batch_wait"), Category.PHASE, 0, -1, -1, args);
                t += MS / 2;
                w.slice(workerTrack, t, compute(i), w.string("compute"), Category.PHASE, 0, -1, -1, args);
                t += compute(i);
                w.slice(workerTrack, t, MS / 2, w.string("respond"), Category.PHASE, 0, -1, -1, args);
            }
            w.slice(gcTrack, T0 + 157 * SPACING + 5 * MS, 10 * MS, w.string("G1 Young Generation"), Category.GC, 0, -1,
                    -1, 0);
            for (int i = 0; i < 50; i++) {
                long args = w.args(new ArgSet().put("request_id", 10_000L + i));
                w.slice(httpTrack, T0 + i * SPACING + 45 * MS, MS, w.string(HEALTH), Category.REQUEST, 0, -1, -1, args);
            }
        }
        return file;
    }
}
