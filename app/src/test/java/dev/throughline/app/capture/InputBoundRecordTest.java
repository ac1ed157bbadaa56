package dev.throughline.app.capture;

import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Severity;
import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The input-bound diagnosis on real recordings of samples/pytorch-train with Debian's torch: a job
 * whose loop loads each batch itself is HIGH input-bound, and DataLoader workers shrink the share.
 */
@ExtendWith(ProjectHome.class)
class InputBoundRecordTest {
    static final Path HOME = RecordCommandTest.HOME;
    private static final Path TRAIN = HOME.resolve("samples/pytorch-train/train.py");

    @TempDir
    Path dir;

    private record Recorded(Optional<Finding> finding, long dataWaitNs, double loopWaitS, long dataFetches) {
    }

    private Recorded record(int workers) throws Exception {
        Path out = dir.resolve("w" + workers + ".tlcap");
        Path metrics = dir.resolve("w" + workers + ".json");
        RecordCommandTest.Run r = RecordCommandTest.record("-o", out.toString(), "--sample-hz", "0", "--",
                RecordCommandTest.PYTHON, TRAIN.toString(), "--workers", Integer.toString(workers),
                "--transform-ms", "20", "--batch", "8", "--steps", "16", "--metrics-out", metrics.toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("\"data_wait_s\":\\s*([0-9.eE+-]+)").matcher(Files.readString(metrics));
        assertTrue(m.find(), "train.py wrote its own measured waiting");
        try (CaptureReader c = CaptureReader.open(out)) {
            Optional<Finding> f = Report.of(c).findings().stream().filter(x -> x.rule().equals("input_bound")).findFirst();
            return new Recorded(f, c.categoryTotals().getOrDefault(Category.DATA_WAIT, 0L),
                    Double.parseDouble(m.group(1)), c.categoryCounts().getOrDefault(Category.DATA_FETCH, 0L));
        }
    }

    @Test
    void loadingInTheLoopIsHighAndWorkersShrinkTheShare() throws Exception {
        // workers 0: every batch of 8 samples sleeps 8 × 20 ms in the loop: ~160 ms of a ~170 ms step
        Recorded alone = record(0);
        Finding high = alone.finding().orElseThrow(() -> new AssertionError("no input_bound finding"));
        assertEquals(Severity.HIGH, high.severity(), high.message());
        assertTrue(high.evidence().contains("num_workers=0"), high.evidence());
        assertTrue(high.whatIf().predictedNs() < high.whatIf().currentNs() / 2, high.whatIf().toString());
        // the agent's data_wait slices add up to what the loop measured itself (within 10 %)
        double captured = alone.dataWaitNs() / 1e9;
        assertTrue(Math.abs(captured - alone.loopWaitS()) <= 0.10 * alone.loopWaitS(),
                "data_wait " + captured + " s vs the loop's own " + alone.loopWaitS() + " s");

        // workers 2: the sleeps overlap compute in two worker processes, whose fetches are recorded too (16 steps:
        // enough for the steady state, where two workers deliver a batch every ~80 ms instead of ~160 ms)
        Recorded two = record(2);
        assertTrue(two.dataFetches() > 0, "data_fetch slices from the workers");
        double shareAlone = share(high);
        double shareTwo = two.finding().map(InputBoundRecordTest::share).orElse(0.0);
        two.finding().ifPresent(f -> assertTrue(f.whatIf().predictedNs() <= f.whatIf().currentNs(),
                "a what-if never predicts a slower step: " + f.whatIf()));
        assertTrue(shareTwo < shareAlone, "share with 2 workers " + shareTwo + " < alone " + shareAlone);
    }

    private static double share(Finding f) {
        Matcher m = Pattern.compile("([0-9.]+) %").matcher(f.message());
        assertTrue(m.find(), f.message());
        return Double.parseDouble(m.group(1)) / 100;
    }
}
