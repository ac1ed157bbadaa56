package dev.throughline.app.ui;

import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million samples over 20,000 distinct stacks: the tree is summed per callsite in SQL and folded in
 * Java, so building it costs one scan of {@code sample}, not a walk of every sample's stack.
 */
class CallTreeScaleTest {
    @TempDir
    Path dir;

    @Test
    void aMillionSamplesBuildInAboutASecond() throws Exception {
        Path file = dir.resolve("million.tlcap");
        int samples = 1_000_000;
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(1, "train.py");
            int[] threads = {w.thread(p, 1, "MainThread"), w.thread(p, 2, "worker")};
            int track = w.track(TrackKind.THREAD, p, threads[0], null, null, null);
            w.slice(track, 1_000_000_000L, 10_000_000_000L, w.string("run"), Category.USER, 0, -1, -1, 0);
            SplittableRandom rnd = new SplittableRandom(7);
            int[] leaves = new int[20_000];
            for (int i = 0; i < leaves.length; i++) {
                int cs = 0;
                int depth = 8 + rnd.nextInt(24);
                for (int d = 0; d < depth; d++) {
                    // few distinct functions near the root, more further down: a realistic fan-out
                    int f = w.frame("f" + d + "_" + rnd.nextInt(1 + d * d), "/src/m" + (d % 7) + ".py", 10 + rnd.nextInt(3));
                    cs = w.callsite(cs, f, d);
                }
                leaves[i] = cs;
            }
            for (int i = 0; i < samples; i++) {
                w.sample(threads[i & 1], 1_000_000_000L + i * 10_000L, leaves[rnd.nextInt(leaves.length)], 1);
            }
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            CaptureSession s = new CaptureSession(file, r, Report.of(r), null);
            CallTreeBuilder builder = new CallTreeBuilder(CallTreeQuery.callsites(s));
            CallTreeQuery.tree(s, builder, CallTreeQuery.SampleFilter.ALL); // warm the page cache and the JIT
            long t0 = System.nanoTime();
            CallTree all = CallTreeQuery.tree(s, builder, CallTreeQuery.SampleFilter.ALL);
            long allNs = System.nanoTime() - t0;
            t0 = System.nanoTime();
            CallTree range = CallTreeQuery.tree(s, builder, CallTreeQuery.SampleFilter.ALL.withRange(0L, 1_000_000_000L));
            long rangeNs = System.nanoTime() - t0;
            t0 = System.nanoTime();
            CallTreeQuery.Weights weights = CallTreeQuery.weights(s, CallTreeQuery.SampleFilter.ALL);
            long sqlNs = System.nanoTime() - t0;
            System.out.printf("SQL GROUP BY: %,d callsites in %.0f ms%n", weights.callsites().length, sqlNs / 1e6);
            System.out.printf("call tree of %,d samples: %,d nodes in %.0f ms; a 10 %% range in %.0f ms%n",
                    all.totalWeight(), all.nodeCount(), allNs / 1e6, rangeNs / 1e6);
            assertEquals(samples, all.totalWeight());
            assertEquals(100_000, range.totalWeight(), "samples every 10 µs: 100,000 in the first second");
            // generous for a shared 2-core machine; measured ~0.5 s here
            assertTrue(allNs < 5_000_000_000L, "built in " + allNs / 1_000_000 + " ms");
        }
    }
}
