package dev.throughline.app.cli;

import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.recording.AttachRecording;
import dev.throughline.app.recording.JvmAgent;
import dev.throughline.app.recording.JvmProcesses;
import dev.throughline.app.recording.RecordingError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Attach the JVM agent to a running JVM (Java 11+) and record it into a capture:",
            "CPU stack samples (async-profiler), GC pauses, safepoints and thread parks",
            "(JFR, JDK 17+), heap, thread and CPU counters, and the requests, phases and",
            "steps the program marks with throughline-api. The agent stops itself at the",
            "end and leaves the JVM as it was. Ctrl-C stops early and closes the capture."},
        footer = {"", "Example: throughline attach 4242 --duration 30s -o service.tlcap", "List JVMs: throughline ps"})
final class AttachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PID", description = "the JVM's process id (see throughline ps)")
    long pid;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s",
            description = "how long to record: 500ms, 30s, 2m (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tlcap",
            description = "the capture to write (default: attach-YYYYMMDD-HHMMSS.tlcap here)")
    Path output;

    @Option(names = "--force", description = "overwrite OUT if it exists")
    boolean force;

    @Option(names = "--event", paramLabel = "EVENT", defaultValue = "cpu",
            description = "what stack samples measure: cpu (perf_events cpu-clock, else itimer), ctimer (per-thread"
                    + " CPU timers), itimer (process CPU time, SIGPROF), wall, off (default ${DEFAULT-VALUE})")
    String event;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "10ms",
            description = "sampling interval (default ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--jfr", paramLabel = "auto|on|off", defaultValue = "auto",
            description = "GC pauses, safepoints and parks from JFR (on), or GC pauses only, from the collectors'"
                    + " MXBean notifications (off). auto (default): JFR only where starting it cannot discard the"
                    + " JVM's compiled code: JDK 23+, or a JVM whose JFR has already started. On JDK 14-22 the first"
                    + " start of JFR in a running JVM makes HotSpot drop every JIT-compiled method, and a busy service"
                    + " runs slower while the JIT compiles it again (JDK-8324241)")
    String jfr;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long durationNs = Durations.parse(duration, "--duration");
        long intervalNs = Durations.parse(interval, "--interval");
        if (!jfr.matches("auto|on|off")) {
            throw new UserError("--jfr must be auto, on or off, was " + jfr);
        }
        AttachRecording recording;
        long attachStarted = System.nanoTime();
        try {
            if (durationNs > 0 && intervalNs > 0 && event.matches("cpu|ctimer|itimer|wall|off")) {
                JvmAgent.requireJar();
                JvmProcesses.requireJvm(pid); // before the output check, as a wrong pid is the likelier mistake
            }
            Path out = RecordingOutput.capturePath(output, force, "attach");
            recording = AttachRecording.start(pid, durationNs, intervalNs, event, jfr, out, force);
        } catch (RecordingError e) {
            throw new UserError(e.getMessage());
        }
        // attach latency: the Attach API's attach, the target's properties, the capture and collector set up, loadAgent
        long attachNs = System.nanoTime() - attachStarted;
        err.println("throughline: attached to pid " + pid + " (" + recording.target() + ") in "
                + String.format(java.util.Locale.ROOT, "%.0f ms", attachNs / 1e6) + " · recording "
                + Durations.format(durationNs) + " · Ctrl-C stops");
        err.flush();
        return new AttachSession(recording, err).run();
    }

    /** The CLI's side of one attached recording: the live line, and the close that happens once (end or Ctrl-C). */
    private static final class AttachSession {
        private final AttachRecording recording;
        private final PrintWriter err;
        private boolean finished;

        AttachSession(AttachRecording recording, PrintWriter err) {
            this.recording = recording;
            this.err = err;
        }

        int run() throws UserError {
            Thread hook = new Thread(() -> finish("interrupted"), "throughline-attach-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            boolean terminal = System.console() != null;
            long nextStatus = System.nanoTime() + 1_000_000_000L;
            String why;
            while (true) {
                if (terminal && System.nanoTime() >= nextStatus) { // one live line, as record shows
                    synchronized (this) {
                        if (!finished) {
                            err.print("\r" + RecordingOutput.statusLine(recording.stats(), recording.elapsedNs()) + "\u001b[K");
                            err.flush();
                        }
                    }
                    nextStatus += 1_000_000_000L;
                }
                try {
                    why = recording.ended();
                } catch (RecordingError e) {
                    removeHook(hook);
                    synchronized (this) {
                        finished = true;
                    }
                    throw new UserError(e.getMessage());
                }
                if (why != null) {
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    why = "interrupted";
                    break;
                }
            }
            Integer code = finish(why);
            removeHook(hook);
            return code == null ? 0 : code;
        }

        private static void removeHook(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it finishes the capture
            }
        }

        synchronized Integer finish(String why) {
            if (finished) {
                return null;
            }
            finished = true;
            if (System.console() != null) {
                err.print("\r\u001b[K");
            }
            if ("interrupted".equals(why)) {
                err.println("throughline: interrupted: stopping the agent in pid " + recording.pid()
                        + " and closing the capture");
                err.flush();
                recording.stop();
            } else if (why != null && !why.equals(AttachRecording.AGENT_DONE)) {
                err.println("throughline: " + why);
            }
            long elapsed = recording.elapsedNs();
            CollectorStats stats;
            try {
                stats = recording.finish();
            } catch (IOException e) {
                err.println("throughline: the capture was not written: " + e.getMessage());
                err.flush();
                return 1;
            }
            RecordingOutput.summary(err, recording.collector(), stats, elapsed);
            err.flush();
            return 0;
        }
    }
}
