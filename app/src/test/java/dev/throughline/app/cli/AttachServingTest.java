package dev.throughline.app.cli;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4's end-to-end check on the real sample: samples/jvm-serving under open-loop load from its own load
 * generator, attached to mid-run for 3 s. Every request the generator sent and got answered inside the recording
 * arrives with its four phases (the generator sends its request ids as X-Request-Id, which the service uses, and
 * logs them with System.nanoTime, the capture's clock); samples and GC pauses arrive; after the detach the
 * service keeps serving and runs no agent thread.
 */
class AttachServingTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = HOME.resolve("samples/jvm-serving/target/jvm-serving.jar");
    static final String JAVA = JvmChild.JAVA;
    static final long MARGIN_NS = 300_000_000L; // requests this close to the recording's edges may be half in it

    @TempDir
    Path dir;
    private String previousHome;
    private Process service;

    @BeforeEach
    void home() {
        previousHome = System.getProperty("throughline.home");
        System.setProperty("throughline.home", HOME.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.destroy();
            service.waitFor(10, TimeUnit.SECONDS);
        }
        if (previousHome == null) {
            System.clearProperty("throughline.home");
        } else {
            System.setProperty("throughline.home", previousHome);
        }
    }

    @Test
    void everyRequestSentDuringTheCaptureArrivesWithItsPhases() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the sample is built first (app depends on it): " + JAR);
        // a small heap and the allocation-heavy mode: GC pauses within 3 s
        service = new ProcessBuilder(JAVA, "-Xmx96m", "-XX:+UseG1GC", "-jar", JAR.toString(), "--port", "0",
                "--workers", "2", "--max-batch", "8", "--max-wait-ms", "2", "--alloc-heavy")
                .redirectError(dir.resolve("service.err").toFile()).start();
        BufferedReader serviceOut = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
        String listening = serviceOut.readLine();
        assertTrue(listening != null && listening.startsWith("listening on 127.0.0.1:"), listening);
        String port = listening.substring(listening.lastIndexOf(':') + 1).trim();

        Path log = dir.resolve("requests.tsv");
        Process load = new ProcessBuilder(JAVA, "-cp", JAR.toString(), "dev.throughline.samples.serving.LoadGenerator",
                "--port", port, "--rate", "200", "--duration-s", "7", "--connections", "16",
                "--histogram", dir.resolve("latency.hgrm").toString(), "--log", log.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("load.out").toFile()).start();
        Thread.sleep(1500); // the load is running

        Path out = dir.resolve("serving.tlcap");
        Cli attach = Cli.run("attach", Long.toString(service.pid()), "--duration", "3s", "-o", out.toString());
        assertEquals(0, attach.exitCode(), attach.err());
        assertTrue(load.waitFor(60, TimeUnit.SECONDS), "the load generator finished");
        assertEquals(0, load.exitValue(), Files.readString(dir.resolve("load.out")));

        // what the capture holds: per request id, its phases; the recording's window from its own requests
        Map<Long, Set<String>> phases = new HashMap<>();
        Set<Long> requests = new TreeSet<>();
        long[] window = {Long.MAX_VALUE, Long.MIN_VALUE};
        long[] gc = {0};
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
            c.forEachRequestSlice((category, name, start, dur, requestId, process, thread) -> {
                if (category == Category.REQUEST) {
                    requests.add(requestId);
                    window[0] = Math.min(window[0], start);
                    window[1] = Math.max(window[1], start + dur);
                } else if (category == Category.PHASE) {
                    phases.computeIfAbsent(requestId, k -> new TreeSet<>()).add(name);
                } else if (category == Category.GC) {
                    gc[0]++;
                }
            });
            long samples = ((Number) c.query("SELECT count(*) FROM sample", 1).rows().get(0).get(0)).longValue();
            assertTrue(samples > 0, "CPU samples arrive");
            assertTrue(gc[0] > 0, "GC pauses arrive");
            // what the recording cost in the agent's own threads, said by the agent itself
            String prefix = "agent.jvm." + service.pid() + ".";
            String cost = c.meta(prefix + "agent_cpu");
            assertTrue(cost != null && cost.matches("\\d+\\.\\d{3} s CPU setting up .*, then \\d+\\.\\d{3} s in \\d+\\.\\d s of"
                    + " recording = .*sender \\d.*"), cost);
            assertTrue(Long.parseLong(c.meta(prefix + "agent_setup_cpu_ns")) > 0, "loading the agent's parts costs CPU");
            long cpuNs = Long.parseLong(c.meta(prefix + "agent_cpu_ns"));
            long wallNs = Long.parseLong(c.meta(prefix + "agent_wall_ns"));
            assertTrue(cpuNs > 0 && cpuNs < wallNs, cpuNs + " ns of CPU in " + wallNs + " ns");
        }

        // what the generator sent and got answered (200) well inside that window: every one must be there
        int checked = 0;
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split("\t");
            long id = Long.parseLong(f[0]);
            long sent = Long.parseLong(f[1]);
            long done = Long.parseLong(f[2]);
            if (!f[3].equals("200") || sent < window[0] + MARGIN_NS || done > window[1] - MARGIN_NS) {
                continue;
            }
            checked++;
            assertTrue(requests.contains(id), "request " + id + " sent during the capture is in it");
            assertEquals(Set.of("batch_wait", "compute", "queue", "respond"), phases.get(id), "phases of request " + id);
        }
        assertTrue(checked > 300, "3 s at 200/s, minus the margins: " + checked + " requests checked");

        // detached: the service still serves, and runs no agent thread
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(service.pid()), "Thread.print").redirectErrorStream(true).start();
        String threads = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS));
        assertTrue(threads.contains("\"main\"") || threads.contains("worker"), threads);
        List<String> agentThreads = threads.lines().filter(l -> l.startsWith("\"throughline")).toList();
        assertEquals(List.of(), agentThreads, "no agent thread after the detach");
        assertTrue(service.isAlive(), "the service keeps running");
    }
}
