package dev.throughline.app.analysis;

import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sync_copy. No corpus trace copies synchronously in its loop (the one cudaMemcpy in HTA's
 * cupti_profiler trace takes 24 µs of 11.8 s), so the trigger is a capture written here: a step loop
 * whose every step blocks 30 ms of 100 ms in cudaMemcpy, next to async copies that must not count.
 */
class SyncCopyRuleTest {
    @TempDir
    Path dir;

    private Optional<Finding> syncCopy(long blockedNsPerStep) throws Exception {
        Path file = dir.resolve("sync-" + blockedNsPerStep + ".tlcap");
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(1, "train.py");
            int host = w.track(TrackKind.THREAD, p, w.thread(p, 1, "MainThread"), null, null, null);
            long t = 1_000_000_000L;
            for (int step = 1; step <= 5; step++) {
                w.slice(host, t, 100_000_000L, w.string("ProfilerStep#" + step), Category.STEP, 0, -1, -1, 0);
                w.slice(host, t + 1_000_000L, blockedNsPerStep, w.string("cudaMemcpy"), Category.CUDA_API, 1, -1, -1, 0);
                w.slice(host, t + 50_000_000L, 20_000_000L, w.string("cudaMemcpyAsync"), Category.CUDA_API, 1, -1, -1, 0);
                t += 100_000_000L;
            }
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            return Report.of(r).findings().stream().filter(f -> f.rule().equals("sync_copy")).findFirst();
        }
    }

    @Test
    void blockingCopiesInTheStepLoopAreFound() throws Exception {
        Finding f = syncCopy(30_000_000L).orElseThrow();
        assertEquals(Severity.HIGH, f.severity(), f.message()); // 30 % of step time, HIGH from 20 %
        assertTrue(f.message().contains("5 blocking memcpy calls"), f.message());
        assertEquals(500_000_000L, f.whatIf().currentNs());
        assertEquals(350_000_000L, f.whatIf().predictedNs()); // async copies (20 ms each) are not counted
    }

    @Test
    void aFewShortOnesAreNot() throws Exception {
        assertTrue(syncCopy(1_000_000L).isEmpty(), "1 % of step time is under the 5 % bar");
    }
}
