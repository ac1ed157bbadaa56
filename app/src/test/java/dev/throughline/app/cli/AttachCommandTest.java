package dev.throughline.app.cli;

import dev.throughline.app.recording.JvmAgent;
import dev.throughline.app.recording.JvmProcesses;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.SliceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code throughline attach}, {@code ps} and {@code record -- java} against real child JVMs ({@link ServiceTarget})
 * with the real agent jar (built by the reactor before app's tests).
 */
class AttachCommandTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private String savedHome;

    @BeforeEach
    void home() {
        savedHome = System.getProperty("throughline.home");
        System.setProperty("throughline.home", HOME.toString());
        assertTrue(Files.isRegularFile(HOME.resolve(JvmAgent.JAR)), "no " + JvmAgent.JAR + ": it is built in the package phase (mvn verify)");
    }

    @AfterEach
    void restoreHome() {
        if (savedHome == null) {
            System.clearProperty("throughline.home");
        } else {
            System.setProperty("throughline.home", savedHome);
        }
    }

    @Test
    void attachRecordsRequestsSamplesAndGcThenLeavesTheTargetAsItWas() throws Exception {
        Path out = dir.resolve("svc.tlcap");
        try (JvmChild target = JvmChild.start()) {
            CompletableFuture<Cli> first = CompletableFuture.supplyAsync(() ->
                    Cli.run("attach", Long.toString(target.pid), "--duration", "3s", "-o", out.toString()));
            eventually(() -> recording(target.pid) != null || first.isDone(), "the agent started recording");
            assertFalse(first.isDone(), first.getNow(null) + "");

            // while it records, a second attach is refused and names the running recording
            Cli second = Cli.run("attach", Long.toString(target.pid), "--duration", "1s", "-o", dir.resolve("2.tlcap").toString());
            assertEquals(ThroughlineCommand.USER_ERROR, second.exitCode(), second.err());
            assertTrue(second.err().contains("pid " + target.pid + " is already being recorded by Throughline (collector 127.0.0.1:"),
                    second.err());
            assertFalse(Files.exists(dir.resolve("2.tlcap")), "no capture for the refused attach");

            Cli listing = Cli.run("ps"); // attach started the target's listener: ps reads the recording property
            assertTrue(listing.out().lines().anyMatch(l -> l.matches("\\s*" + target.pid + "\\s+jvm\\s+yes\\s+.*")), listing.out());

            Cli r = first.join();
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().matches("(?s).*attached to pid " + target.pid + " \\(" + java.util.regex.Pattern.quote(ServiceTarget.class.getName()) + "\\) in \\d+ ms.*"), r.err());
            assertTrue(r.err().contains("capture: " + out), r.err());
            assertTrue(Runtime.version().feature() >= 23 || r.err().contains("  JFR: JVM agent, pid " + target.pid + ": off (auto): "),
                    "the summary says JFR was left off, and why: " + r.err());

            try (CaptureReader c = CaptureReader.open(out)) {
                assertTrue(c.cleanlyClosed());
                assertEquals("throughline attach", c.meta("source"));
                String prefix = "agent.jvm." + target.pid + ".";
                String engine = c.meta(prefix + "profiler_engine");
                assertTrue(Set.of("cpu", "itimer").contains(engine), "the engine that ran: " + engine);
                // jfr=auto: JFR's first start in this running JDK 17 would flush its compiled code, so GC pauses come from
                // the collectors' notifications, and report and overview say so
                assertTrue(Runtime.version().feature() >= 23 || c.meta(prefix + "jfr").startsWith("off (auto): GC pauses from"
                        + " GarbageCollectorMXBean notifications (ms resolution); no safepoints or parks. JFR not started: in this"
                        + " running JDK " + Runtime.version().feature() + " its first start would make the JVM discard all its"
                        + " JIT-compiled code (JDK-8324241"), c.meta(prefix + "jfr"));
                assertEquals("auto", c.meta("attach.jfr"));
                assertEquals("connected", c.meta(prefix + "api"));
                assertEquals("duration reached", c.meta(prefix + "stopped"));

                List<SliceRecord> slices = new ArrayList<>();
                c.forEachSlice(slices::add);
                Map<Long, Set<String>> phasesByRequest = new HashMap<>();
                Set<Long> requests = new HashSet<>();
                int gcPauses = 0;
                for (SliceRecord s : slices) {
                    if (s.category() == Category.REQUEST) {
                        assertEquals("POST /infer", s.name());
                        requests.add((Long) c.args(s.argsId()).get("request_id"));
                    } else if (s.category() == Category.PHASE) {
                        Map<String, Object> args = c.args(s.argsId());
                        phasesByRequest.computeIfAbsent((Long) args.get("request_id"), k -> new HashSet<>()).add(s.name());
                        if (s.name().equals("compute")) {
                            assertEquals(4L, args.get("batch_size"), "one compute slice per request of the batch");
                        }
                    } else if (s.category() == Category.GC && s.name().startsWith("GC pause: ")) {
                        gcPauses++;
                        assertTrue(c.args(s.argsId()).containsKey("gc_id"));
                    }
                }
                assertTrue(requests.size() >= 8, "requests arrived: " + requests.size());
                long complete = requests.stream().filter(id -> phasesByRequest.getOrDefault(id, Set.of())
                        .containsAll(Set.of("queue", "compute"))).count();
                assertTrue(complete >= 8, "requests with both their phases: " + complete);
                assertTrue(gcPauses > 0, "GC pauses, from the notifications");
                assertTrue(count(c, "SELECT count(*) FROM sample") > 0, "stack samples");
                assertTrue(count(c, "SELECT count(*) FROM frame f JOIN string n ON n.id = f.name_id"
                        + " WHERE n.value LIKE 'dev.throughline.app.cli.ServiceTarget.%'") > 0, "the target's own frames, dotted");
                assertEquals(4, count(c, "SELECT count(DISTINCT n.value) FROM counter k JOIN track t ON t.id = k.track_id"
                        + " JOIN string n ON n.id = t.name_id"
                        + " WHERE n.value IN ('heap_used_bytes', 'heap_committed_bytes', 'cpu_percent', 'threads')"), "counters");
            }

            if (Runtime.version().feature() < 23) {
                assertTrue(target.threads().stream().noneMatch(n -> n.startsWith("JFR")), "auto left JFR off: " + target.threads());
                Cli report = Cli.run("report", out.toString());
                assertTrue(report.out().contains("JFR: JVM agent, pid " + target.pid + ": off (auto): "), report.out());
            }

            // detached: the target runs on, with no agent thread and no recording mark left
            assertTrue(target.process.isAlive());
            eventually(() -> agentThreads(target).isEmpty(), "no agent thread left: " + agentThreads(target));
            assertNull(recording(target.pid));

            // and it can be recorded again, with the profiler the first recording loaded; --jfr on starts JFR anyway
            Path again = dir.resolve("again.tlcap");
            Cli second2 = Cli.run("attach", Long.toString(target.pid), "--duration", "3s", "--jfr", "on", "-o", again.toString());
            assertEquals(0, second2.exitCode(), second2.err());
            try (CaptureReader c = CaptureReader.open(again)) {
                String prefix = "agent.jvm." + target.pid + ".";
                assertTrue(c.meta(prefix + "profiler").startsWith("bundled (loaded by an earlier recording)"));
                assertEquals("on", c.meta(prefix + "jfr"));
                List<SliceRecord> slices = new ArrayList<>();
                c.forEachSlice(slices::add);
                assertTrue(slices.stream().anyMatch(s -> s.category() == Category.GC && s.name().equals("safepoint")),
                        "safepoints: JFR ran");
                assertTrue(slices.stream().anyMatch(s -> s.category() == Category.SYNC && s.name().startsWith("park")),
                        "the worker's 15 ms parks");
            }
            eventually(() -> agentThreads(target).isEmpty(), "no agent thread left: " + agentThreads(target));

            // JFR has started in this JVM now, so jfr=auto starts it: nothing left to flush
            Path third = dir.resolve("third.tlcap");
            Cli r3 = Cli.run("attach", Long.toString(target.pid), "--duration", "1s", "-o", third.toString());
            assertEquals(0, r3.exitCode(), r3.err());
            try (CaptureReader c = CaptureReader.open(third)) {
                assertEquals("on (auto: JFR had already started in this JVM, so starting it keeps the compiled code)",
                        c.meta("agent.jvm." + target.pid + ".jfr"));
            }
            eventually(() -> agentThreads(target).isEmpty(), "no agent thread left: " + agentThreads(target));
        }
    }

    /**
     * The non-default options: {@code --jfr off} (JFR never starts in the target; GC pauses still arrive, from the
     * MXBean notifications) and {@code --event ctimer} (per-thread CPU timers, else itimer, said).
     */
    @Test
    void attachWithJfrOffAndEventCtimer() throws Exception {
        Path out = dir.resolve("nojfr.tlcap");
        try (JvmChild target = JvmChild.start()) {
            Cli r = Cli.run("attach", Long.toString(target.pid), "--duration", "3s", "--jfr", "off", "--event", "ctimer",
                    "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            try (CaptureReader c = CaptureReader.open(out)) {
                String prefix = "agent.jvm." + target.pid + ".";
                String engine = c.meta(prefix + "profiler_engine");
                assertTrue(engine.equals("ctimer") || engine.equals("itimer") && c.meta(prefix + "profiler_fallback")
                        .startsWith("ctimer refused"), engine + " / " + c.meta(prefix + "profiler_fallback"));
                assertTrue(count(c, "SELECT count(*) FROM sample") > 0, "stack samples");
                assertTrue(c.meta(prefix + "jfr").startsWith("off (asked): GC pauses from GarbageCollectorMXBean"),
                        c.meta(prefix + "jfr"));
                assertEquals("off", c.meta("attach.jfr"));
                assertTrue(count(c, "SELECT count(*) FROM slice WHERE category = " + Category.GC.id
                        + " AND name_id IN (SELECT id FROM string WHERE value LIKE 'GC pause: %')") > 0, "GC pauses");
                assertEquals(0, count(c, "SELECT count(*) FROM slice WHERE category = " + Category.SYNC.id), "parks need JFR");
                assertTrue(count(c, "SELECT count(*) FROM slice WHERE category = " + Category.REQUEST.id) > 0);
            }
            assertTrue(target.threads().stream().noneMatch(n -> n.startsWith("JFR")), "JFR never started: " + target.threads());
            Cli bad = Cli.run("attach", Long.toString(target.pid), "--jfr", "maybe", "-o", dir.resolve("x.tlcap").toString());
            assertEquals(ThroughlineCommand.USER_ERROR, bad.exitCode());
            assertTrue(bad.err().contains("--jfr must be auto, on or off, was maybe"), bad.err());
        }
    }

    @Test
    void aTargetThatExitsMidCaptureLeavesACaptureOfWhatArrived() throws Exception {
        Path out = dir.resolve("exit.tlcap");
        try (JvmChild target = JvmChild.start()) {
            CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() ->
                    Cli.run("attach", Long.toString(target.pid), "--duration", "60s", "-o", out.toString()));
            eventually(() -> served(target) >= 3 || run.isDone(), "requests served while the agent records");
            target.exit();
            Cli r = run.join();
            assertEquals(0, r.exitCode(), r.err());
            try (CaptureReader c = CaptureReader.open(out)) {
                assertTrue(c.cleanlyClosed());
                assertTrue(count(c, "SELECT count(*) FROM slice WHERE category = " + Category.REQUEST.id) > 0);
                String stopped = c.meta("agent.jvm." + target.pid + ".stopped");
                assertTrue(stopped == null || stopped.equals("the host is exiting"), stopped);
            }
        }
    }

    @Test
    void attachingToSomethingThatIsNotARunningJvmSaysWhichPidAndWhy() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Cli r = Cli.run("attach", Long.toString(sleep.pid()), "-o", dir.resolve("s.tlcap").toString());
            assertEquals(ThroughlineCommand.USER_ERROR, r.exitCode(), r.err());
            assertTrue(r.err().contains("pid " + sleep.pid() + " (") && r.err().contains("is not a Java virtual machine"), r.err());
            assertTrue(sleep.isAlive(), "never signalled: the attach handshake's SIGQUIT would have killed it");
        } finally {
            sleep.destroy();
        }
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Cli gone = Cli.run("attach", Long.toString(done.pid()), "-o", dir.resolve("g.tlcap").toString());
        assertEquals(ThroughlineCommand.USER_ERROR, gone.exitCode(), gone.err());
        assertTrue(gone.err().contains("no process with pid " + done.pid()), gone.err());
        assertEquals("", gone.out());
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "no capture left behind");
        }
    }

    @Test
    void psListsJvmsAndPythonProcessesWithTheirAgent() throws Exception {
        ProcessBuilder py = new ProcessBuilder("/usr/bin/python3", "-c", "import time; time.sleep(60)");
        py.environment().put("THROUGHLINE_TOKEN", "x");
        Process python = Files.isExecutable(Path.of("/usr/bin/python3")) ? py.start() : null;
        try (JvmChild target = JvmChild.start()) {
            Cli r = Cli.run("ps");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*" + target.pid + "\\s+jvm\\s+-\\s+"
                    + ServiceTarget.class.getName().replace(".", "\\.") + ".*")), r.out());
            if (python != null) {
                assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*" + python.pid() + "\\s+python\\s+yes\\s+-c .*")), r.out());
            }
            assertFalse(r.out().contains(" " + ProcessHandle.current().pid() + "  jvm"), "not itself");
        } finally {
            if (python != null) {
                python.destroy();
            }
        }
    }

    @Test
    void anAgentThatCannotConnectSaysSoOnceAndTheProgramRunsUnprofiled() throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + HOME.resolve(JvmAgent.JAR),
                "THROUGHLINE_ADDR", "127.0.0.1:1", "THROUGHLINE_TOKEN", "nobody-listens");
        try (JvmChild target = JvmChild.start(env, stderr)) {
            eventually(() -> agentThreads(target).isEmpty(), "the failed agent's thread ended");
            assertTrue(target.process.isAlive());
            assertEquals(0, target.served(), "no sink was installed");
            List<String> warnings = Files.readAllLines(stderr).stream().filter(l -> l.startsWith("throughline agent:")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("throughline agent: warning: not recording: no collector at 127.0.0.1:1: ")
                    && warnings.get(0).endsWith("(the program runs unprofiled)"), warnings.get(0));

            Cli r = Cli.run("ps"); // never attached: ps knows the agent from JAVA_TOOL_OPTIONS, without signalling
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*" + target.pid + "\\s+jvm\\s+yes\\s+.*")), r.out());
            assertNull(recording(target.pid), "no recording mark left");
        }
    }

    @Test
    void recordRunsAJavaCommandWithTheAgentThroughJavaToolOptions() throws Exception {
        Path out = dir.resolve("rec.tlcap");
        List<String> args = new ArrayList<>(List.of("record", "-o", out.toString(), "--"));
        args.addAll(JvmChild.command("--serve", "3"));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("recorded 1 process"), r.err());
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
            List<List<Object>> process = c.query("SELECT pid, kind, name FROM process", 10).rows();
            assertEquals(1, process.size(), process.toString());
            assertEquals("jvm", process.get(0).get(1));
            assertEquals(ServiceTarget.class.getName(), process.get(0).get(2));
            long pid = ((Number) process.get(0).get(0)).longValue();
            assertTrue(Set.of("cpu", "itimer").contains(c.meta("agent.jvm." + pid + ".profiler_engine")));
            assertEquals("the host is exiting", c.meta("agent.jvm." + pid + ".stopped"));
            assertTrue(count(c, "SELECT count(*) FROM slice WHERE category = " + Category.REQUEST.id) > 0);
            assertTrue(count(c, "SELECT count(*) FROM sample") > 0);
            // no CUDA presets on the target's class path: no GPU tracing, and the capture says why
            assertTrue(c.meta("agent.jvm." + pid + ".cupti").startsWith("off: the program has no JavaCPP CUDA presets"),
                    c.meta("agent.jvm." + pid + ".cupti"));
        }
    }

    /**
     * A program with the JavaCPP CUDA presets on its class path gets CUPTI tracing from the agent, through the
     * presets it loaded itself. Here there is no NVIDIA driver: the capture says so in one line and the rest records.
     */
    @Test
    void aProgramWithTheCudaPresetsGetsCuptiTracingOrTheReasonWhyNot() throws Exception {
        String presets = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> e.contains("javacpp") || e.contains("cuda-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        assertTrue(presets.contains("javacpp") && presets.contains("cuda-"), "the presets are on the test class path: " + presets);
        Path out = dir.resolve("cuda.tlcap");
        List<String> args = new ArrayList<>(List.of("record", "-o", out.toString(), "--"));
        args.addAll(JvmChild.commandWithClassPath(presets, "--serve", "2"));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        try (CaptureReader c = CaptureReader.open(out)) {
            long pid = ((Number) c.query("SELECT pid FROM process", 1).rows().get(0).get(0)).longValue();
            String cupti = c.meta("agent.jvm." + pid + ".cupti");
            boolean driver = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"));
            assertTrue(cupti != null && cupti.startsWith(driver ? "available: CUPTI " : "unavailable: no NVIDIA driver"), cupti);
            assertTrue(count(c, "SELECT count(*) FROM slice WHERE category = " + Category.REQUEST.id) > 0,
                    "the rest of the recording goes on");
        }
    }

    private static long count(CaptureReader c, String sql) throws Exception {
        return ((Number) c.query(sql, 1).rows().get(0).get(0)).longValue();
    }

    private static String recording(long pid) {
        try {
            return JvmProcesses.recording(pid);
        } catch (Exception e) {
            return null;
        }
    }

    private static long served(JvmChild target) {
        try {
            return target.served();
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<String> agentThreads(JvmChild target) {
        try {
            return target.threads().stream().filter(n -> n.startsWith("throughline") || n.startsWith("JFR Event Stream")).toList();
        } catch (Exception e) {
            return List.of("? " + e);
        }
    }

    /** Waits for a condition that must come true (bounded at 30 s so a broken build fails instead of hanging). */
    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("never happened: " + what);
    }
}
