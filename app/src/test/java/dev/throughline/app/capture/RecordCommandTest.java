package dev.throughline.app.capture;

import dev.throughline.app.cli.ThroughlineCommand;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.SliceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code throughline record} with real child processes, in-process CLI. */
@ExtendWith(ProjectHome.class)
class RecordCommandTest {
    /** The project root (surefire runs in app/). */
    static final Path HOME = ProjectHome.HOME;
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    public record Run(int code, String out, String err) {
    }

    static Run record(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("record"), Stream.of(args)).toArray(String[]::new);
        int code = ThroughlineCommand.run(new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theChildsExitCodePassesThroughAndTheCaptureCloses() throws Exception {
        Path out = dir.resolve("exit.tlcap");
        Run r = record("-o", out.toString(), "--", "/bin/sh", "-c", "exit 3");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("capture: " + out), r.err());
        assertTrue(r.err().contains("recorded 0 processes"), r.err());
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
            assertEquals("throughline record", c.meta("source"));
            assertEquals("/bin/sh -c exit 3", c.meta("record.command"));
            // NVML says what it found, once: here (no driver) why not; on a GPU machine, the devices
            String nvml = c.meta("gpu.nvml");
            boolean driver = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"));
            assertTrue(nvml != null && nvml.startsWith(driver ? "available: " : "unavailable: "), nvml);
            assertTrue(c.loss().isEmpty(), c.loss().toString());
        }
    }

    @Test
    void theChildGetsTheCollectorsAddressTokenAndTheAgentOnPythonPath() throws Exception {
        Path env = dir.resolve("env.txt");
        Run r = record("-o", dir.resolve("env.tlcap").toString(), "--sample-hz", "50", "--torch-profiler", "--",
                "/bin/sh", "-c", "printf '%s\\n' \"$THROUGHLINE_ADDR\" \"$THROUGHLINE_TOKEN\" \"$THROUGHLINE_SAMPLE_HZ\""
                        + " \"$THROUGHLINE_TORCH_PROFILER\" \"$PYTHONPATH\" > " + env);
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(env);
        assertTrue(lines.get(0).matches("127\\.0\\.0\\.1:\\d+"), lines.get(0));
        assertTrue(lines.get(1).matches("[0-9a-f]{32}"), lines.get(1));
        assertEquals("50", lines.get(2));
        assertEquals("1", lines.get(3));
        assertTrue(lines.get(4).startsWith(HOME.resolve("profiler-agents/python/bootstrap").toString()), lines.get(4));
    }

    @Test
    void optionsAfterTheCommandAreTheCommands() throws Exception {
        Path out = dir.resolve("opts.tlcap");
        Run r = record("-o", out.toString(), "/bin/sh", "-c", "exit 4", "--force", "-o", "x");
        assertEquals(4, r.code(), r.err());
        try (CaptureReader c = CaptureReader.open(out)) {
            assertEquals("/bin/sh -c exit 4 --force -o x", c.meta("record.command"));
        }
    }

    @Test
    void anExistingCaptureIsNeverOverwrittenWithoutForce() throws Exception {
        Path out = dir.resolve("keep.tlcap");
        Files.writeString(out, "precious");
        Run r = record("-o", out.toString(), "--", "/bin/true");
        assertEquals(ThroughlineCommand.USER_ERROR, r.code());
        assertTrue(r.err().contains("already exists (use --force to overwrite)"), r.err());
        assertEquals("precious", Files.readString(out));
        Run forced = record("-o", out.toString(), "--force", "--", "/bin/true");
        assertEquals(0, forced.code(), forced.err());
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
        }
    }

    @Test
    void aCommandThatCannotStartLeavesNoCapture() throws Exception {
        Run r = record("-o", dir.resolve("none.tlcap").toString(), "--", dir.resolve("no-such-program").toString());
        assertEquals(ThroughlineCommand.USER_ERROR, r.code());
        assertTrue(r.err().contains("cannot run"), r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "nothing left behind");
        }
    }

    @Test
    void aPythonScriptThatRaisesPassesItsExitCodeAndTheCaptureStillCloses() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
        Path out = dir.resolve("raises.tlcap");
        String script = String.join("\n",
                "import time",
                "import throughline_agent as tl",
                "for i in range(3):",
                "    time.sleep(0.02)",
                "    tl.step()",
                "raise RuntimeError('the training script failed')",
                "");
        Run r = record("-o", out.toString(), "--sample-hz", "0", "--", PYTHON, "-c", script);
        assertEquals(1, r.code(), "Python's exit code for an uncaught exception: " + r.err());
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
            assertEquals(2L, c.categoryCounts().get(Category.STEP), "the steps before the failure are kept");
        }
    }

    @Test
    void aRecordingsSamplesExportAsCollapsedStacks() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
        Path out = dir.resolve("samples.tlcap");
        String script = String.join("\n",
                "import time",
                "def busy_function(seconds):",
                "    end = time.monotonic() + seconds",
                "    while time.monotonic() < end:",
                "        pass",
                "def idle_function(seconds):",
                "    time.sleep(seconds)",
                "busy_function(0.6)",
                "idle_function(0.2)",
                "");
        Run r = record("-o", out.toString(), "--sample-hz", "200", "--", PYTHON, "-c", script);
        assertEquals(0, r.code(), r.err());
        Path collapsed = dir.resolve("samples.collapsed");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = ThroughlineCommand.run(new PrintWriter(o), new PrintWriter(e),
                "export", out.toString(), "--format", "collapsed", "-o", collapsed.toString());
        assertEquals(0, code, e.toString());
        long total = 0;
        long busy = 0;
        long idle = 0;
        for (String line : Files.readAllLines(collapsed)) {
            int space = line.lastIndexOf(' ');
            long weight = Long.parseLong(line.substring(space + 1));
            String stack = line.substring(0, space);
            total += weight;
            // root first: the script's module, then the function (other stacks: the agent starting up)
            if (stack.equals("<module> (<string>);busy_function (<string>)")) {
                busy += weight;
            } else if (stack.equals("<module> (<string>);idle_function (<string>)")) {
                idle += weight;
            }
        }
        try (CaptureReader c = CaptureReader.open(out)) {
            // the agent says how it sampled, through META frames
            assertTrue(c.meta().entrySet().stream().anyMatch(m -> m.getKey().matches("agent\\.python\\.\\d+\\.stack_sampling")
                    && m.getValue().startsWith("python stacks of every thread at 200 Hz")), c.meta().toString());
        }
        // a 200 Hz sampler that wakes on time sees the 0.6 s busy loop about three times as often as the 0.2 s sleep
        assertTrue(busy > 40, "busy samples: " + busy + " of " + total);
        assertTrue(idle > 10, "idle samples: " + idle + " of " + total);
        assertTrue(busy > idle, busy + " vs " + idle);
    }

    /** End to end with the real Python agent (its bootstrap sitecustomize.py) in a real /usr/bin/python3 child. */
    @Test
    void aPythonScriptsStepsLandInTheCapture() throws Exception {
        assumeTrue(Files.isRegularFile(HOME.resolve("profiler-agents/python/bootstrap/sitecustomize.py")),
                "the Python agent's bootstrap is not there yet");
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
        Path out = dir.resolve("py.tlcap");
        Path facts = dir.resolve("facts.txt");
        String script = String.join("\n",
                "import os, time",
                "import throughline_agent as tl",
                "for i in range(5):",
                "    time.sleep(0.05)",
                "    tl.step()",
                "s = tl.stats()",
                "open(" + pyString(facts.toString()) + ", 'w').write('%d %d %s' % (os.getpid(), s.get('steps', -1), s.get('running')))",
                "");
        Run r = record("-o", out.toString(), "--sample-hz", "0", "--", PYTHON, "-c", script);
        assertEquals(0, r.code(), r.err());
        String[] f = Files.readString(facts).trim().split(" ");
        long pid = Long.parseLong(f[0]);
        long agentSteps = Long.parseLong(f[1]);
        assertEquals("True", f[2], "the agent was running in the child");
        assertTrue(agentSteps >= 4, "the agent saw the marks: " + agentSteps);
        try (CaptureReader c = CaptureReader.open(out)) {
            assertTrue(c.cleanlyClosed());
            List<SliceRecord> steps = new ArrayList<>();
            c.forEachSlice(s -> {
                if (s.category() == Category.STEP) {
                    steps.add(s);
                }
            });
            assertEquals(agentSteps, steps.size(), steps.toString());
            for (SliceRecord s : steps) {
                assertTrue(s.durNs() >= 40_000_000L, "each step includes its 50 ms sleep: " + s);
            }
            assertEquals(agentSteps, c.steps().size(), "summary_step has them too");
            try (Statement st = c.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid, kind FROM process")) {
                assertTrue(rs.next(), "a process row");
                assertEquals(pid, rs.getLong(1));
                assertEquals("python", rs.getString(2));
                assertFalse(rs.next(), "one process");
            }
            assertTrue(c.loss().isEmpty(), "no loss: " + c.loss());
        }
        assertTrue(r.err().contains("recorded 1 process · " + agentSteps + " steps"), r.err());
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
