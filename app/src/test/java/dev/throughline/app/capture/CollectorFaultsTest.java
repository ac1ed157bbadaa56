package dev.throughline.app.capture;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.ProcessInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's promise with a real Python child and the real collector: when the collector stalls, is cut, or goes
 * away, the job runs on at its own pace, what the agent drops it counts, and the capture shows the count.
 */
class CollectorFaultsTest {
    static final Path HOME = ProjectHome.HOME;
    static final String PYTHON = RecordCommandTest.PYTHON;

    /** ~4.5 s of 5 ms iterations; prints the loop's longest iteration and the agent's own figures at the end. */
    static final String LOOP = String.join("\n",
            "import json, time",
            "import throughline_agent as tl",
            "end = time.monotonic() + 4.5",
            "i = 0",
            "longest = 0.0",
            "while time.monotonic() < end:",
            "    t = time.monotonic()",
            "    with tl.span('work', i=i):",
            "        time.sleep(0.005)",
            "    if i % 10 == 9:",
            "        tl.step()",
            "    i += 1",
            "    longest = max(longest, time.monotonic() - t)",
            "s = tl.stats()",
            "print(json.dumps({'longest_s': longest, 'dropped': sum(s['dropped'].values()), 'reconnects': s['reconnects']}))",
            "");

    @TempDir
    Path dir;

    @Test
    void aStalledThenCutCollectorNeverSlowsTheJobAndTheCaptureCountsTheDrops() throws Exception {
        assumePython();
        Path out = dir.resolve("stall.tlcap");
        Collector collector = Collector.start(CaptureWriter.create(out, false));
        Process child = start(collector);
        awaitSteps(collector, 2);
        collector.stallReading(true);
        Thread.sleep(1500); // the agent's sends block and its bounded queue fills: it must drop, not wait
        collector.cutConnections();
        collector.stallReading(false);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String stdout = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.exitValue(), stdout + new String(child.getErrorStream().readAllBytes()));
        collector.close();

        double longest = number(stdout, "longest_s");
        long dropped = (long) number(stdout, "dropped");
        assertTrue(longest < 0.75, "no iteration waited for the 1.5 s stall: longest " + longest + " s");
        assertEquals(1, (long) number(stdout, "reconnects"), stdout);
        assertTrue(dropped > 0, "a 1.5 s stall with a 300-event queue drops: " + stdout);
        try (CaptureReader c = CaptureReader.open(out)) {
            long agentLoss = 0;
            for (LossRow l : c.loss()) {
                if (l.source().equals("agent python")) {
                    agentLoss += l.count();
                }
            }
            assertEquals(dropped, agentLoss, "the capture shows what the agent dropped: " + c.loss());
            List<ProcessInfo> processes = c.processes();
            assertEquals(1, processes.size(), "the reconnect continues the same process: " + processes);
            // steps keep coming after the cut, on the new connection
            List<Long> stepEnds = new ArrayList<>();
            c.forEachSlice(s -> {
                if (s.category() == Category.STEP) {
                    stepEnds.add(s.startNs() + s.durNs());
                }
            });
            assertTrue(stepEnds.size() >= 4, stepEnds.toString());
        }
    }

    @Test
    void withTheCollectorGoneTheJobFinishesNormally() throws Exception {
        assumePython();
        Path out = dir.resolve("gone.tlcap");
        Collector collector = Collector.start(CaptureWriter.create(out, false));
        Process child = start(collector);
        awaitSteps(collector, 2);
        collector.close(); // gone for good: nothing listens any more
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String stdout = new String(child.getInputStream().readAllBytes());
        String stderr = new String(child.getErrorStream().readAllBytes());
        assertEquals(0, child.exitValue(), stderr);
        assertTrue(number(stdout, "longest_s") < 0.75, stdout);
        assertEquals(0, (long) number(stdout, "reconnects"), stdout);
        assertEquals(1, stderr.lines().filter(l -> l.startsWith("throughline:")).count(), "one warning: " + stderr);
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
            assertTrue(c.categoryCounts().getOrDefault(Category.STEP, 0L) >= 2, "what arrived before is kept");
        }
    }

    private static Process start(Collector collector) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(PYTHON, "-c", LOOP);
        pb.environment().put("THROUGHLINE_ADDR", collector.address());
        pb.environment().put("THROUGHLINE_TOKEN", collector.token());
        pb.environment().put("THROUGHLINE_SAMPLE_HZ", "200");
        pb.environment().put("THROUGHLINE_BUFFER_EVENTS", "300");
        pb.environment().put("PYTHONPATH", HOME.resolve("profiler-agents/python/bootstrap").toString());
        pb.environment().remove("THROUGHLINE_TORCH_PROFILER");
        return pb.start();
    }

    private static void awaitSteps(Collector collector, long steps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (collector.stats().steps() < steps) {
            assertTrue(System.nanoTime() < deadline, "no steps arrived: " + collector.stats());
            Thread.sleep(20);
        }
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([0-9.e+-]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    private static void assumePython() {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
    }
}
