package dev.throughline.app.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorOptions;
import dev.throughline.app.capture.CollectorStats;
import dev.throughline.storage.CaptureSchema;
import dev.throughline.storage.CaptureWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Attach the JVM agent to a running JVM (Java 11+) and record it into a capture:",
            "CPU stack samples (async-profiler), GC pauses, safepoints and thread parks",
            "(JFR, JDK 17+), heap, thread and CPU counters, and the requests, phases and",
            "steps the program marks with throughline-api. The agent stops itself at the",
            "end and leaves the JVM as it was. Ctrl-C stops early and closes the capture."},
        footer = {"", "Example: throughline attach 4242 --duration 30s -o service.tlcap", "List JVMs: throughline ps"})
final class AttachCommand implements Callable<Integer> {
    /** How long a loaded agent may take to connect before attach gives up. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** After the duration, how long the agent may take to stop and say BYE. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

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
            description = "what stack samples measure: cpu (perf_events, else itimer), itimer, wall, off (default ${DEFAULT-VALUE})")
    String event;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "10ms",
            description = "sampling interval (default ${DEFAULT-VALUE})")
    String interval;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long durationNs = Durations.parse(duration, "--duration");
        long intervalNs = Durations.parse(interval, "--interval");
        if (durationNs <= 0 || intervalNs <= 0) {
            throw new UserError("--duration and --interval must be positive");
        }
        if (!event.matches("cpu|itimer|wall|off")) {
            throw new UserError("--event must be cpu, itimer, wall or off, was " + event);
        }
        Path jar = JvmAgent.requireJar();
        JvmProcesses.requireJvm(pid);
        Path out = RecordingOutput.capturePath(output, force, "attach");

        Collector collector;
        String target;
        long attachStarted = System.nanoTime();
        VirtualMachine vm = JvmProcesses.attach(pid);
        try {
            Properties props = vm.getSystemProperties();
            String running = JvmProcesses.recording(props);
            if (running != null) {
                throw new UserError("pid " + pid + " is already being recorded by Throughline (collector " + running
                        + "); wait for that recording to end");
            }
            String version = props.getProperty("java.specification.version", "?");
            if (!version.matches("\\d+") || Integer.parseInt(version) < 11) {
                throw new UserError("pid " + pid + " runs Java " + version + "; the agent needs Java 11 or newer");
            }
            target = props.getProperty("sun.java.command", "?");
            CaptureWriter writer;
            try {
                writer = CaptureWriter.create(out, force);
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
            writer.meta(CaptureSchema.META_SOURCE, "throughline attach");
            writer.meta("attach.pid", Long.toString(pid));
            writer.meta("attach.command", target);
            writer.meta("attach.java_version", props.getProperty("java.version", "?"));
            writer.meta("attach.duration_ns", Long.toString(durationNs));
            writer.meta("attach.event", event);
            writer.meta("trace.clock", "CLOCK_MONOTONIC ns (time_origin_ns is the first event's)");
            collector = Collector.start(writer, CollectorOptions.DEFAULTS.withDrainTimeout(Duration.ofSeconds(5)));
            String options = "addr=" + collector.address() + ",token=" + collector.token() + ",event=" + event
                    + ",interval=" + intervalNs + "ns,duration=" + durationNs + "ns"
                    + (out.toString().matches("[^,\\s]+") ? ",out=" + out : "");
            try {
                vm.loadAgent(jar.toString(), options);
            } catch (AgentLoadException | AgentInitializationException | IOException e) {
                collector.abort();
                throw new UserError("cannot load the agent into pid " + pid + ": " + e.getMessage());
            }
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have exited
            }
        }
        // attach latency: the Attach API's attach, the target's properties, the capture and collector set up, loadAgent
        long attachNs = System.nanoTime() - attachStarted;
        err.println("throughline: attached to pid " + pid + " (" + target + ") in "
                + String.format(java.util.Locale.ROOT, "%.0f ms", attachNs / 1e6) + " · recording "
                + Durations.format(durationNs) + " · Ctrl-C stops");
        err.flush();
        return new AttachSession(pid, jar, collector, err).run(durationNs, CONNECT_TIMEOUT.toNanos(), STOP_GRACE.toNanos());
    }

    /** One attached recording: waits for its end (agent done, target gone, Ctrl-C), then closes the capture once. */
    private static final class AttachSession {
        private final long pid;
        private final Path jar;
        private final Collector collector;
        private final PrintWriter err;
        private final long started = System.nanoTime();
        private boolean finished;

        AttachSession(long pid, Path jar, Collector collector, PrintWriter err) {
            this.pid = pid;
            this.jar = jar;
            this.collector = collector;
            this.err = err;
        }

        int run(long durationNs, long connectTimeoutNs, long graceNs) throws UserError {
            Thread hook = new Thread(() -> finish("interrupted"), "throughline-attach-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            boolean terminal = System.console() != null;
            long nextStatus = started + 1_000_000_000L;
            String why;
            while (true) {
                long elapsed = System.nanoTime() - started;
                CollectorStats s = collector.stats();
                if (terminal && System.nanoTime() >= nextStatus) { // one live line, as record shows
                    synchronized (this) {
                        if (!finished) {
                            err.print("\r" + RecordingOutput.statusLine(s, elapsed) + "\u001b[K");
                            err.flush();
                        }
                    }
                    nextStatus += 1_000_000_000L;
                }
                if (s.processes() > 0 && collector.openConnections() == 0) {
                    why = null; // the agent said BYE (duration over) or its connection ended
                    break;
                }
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    why = "pid " + pid + " exited during the recording";
                    break;
                }
                if (s.processes() == 0 && elapsed > connectTimeoutNs) {
                    removeHook(hook);
                    synchronized (this) {
                        finished = true;
                    }
                    collector.abort();
                    throw new UserError("the agent loaded into pid " + pid + " did not connect within "
                            + connectTimeoutNs / 1_000_000_000L + " s (the target's stderr says why)");
                }
                if (elapsed > durationNs + graceNs) {
                    why = "the agent did not stop on time; its connection was cut";
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
                err.println("throughline: interrupted: stopping the agent in pid " + pid + " and closing the capture");
                err.flush();
                stopAgent();
            } else if (why != null) {
                err.println("throughline: " + why);
            }
            CollectorStats stats = collector.stats();
            long elapsed = System.nanoTime() - started;
            try {
                collector.close();
            } catch (IOException e) {
                err.println("throughline: the capture was not written: " + e.getMessage());
                err.flush();
                return 1;
            }
            RecordingOutput.summary(err, collector, stats, elapsed);
            err.flush();
            return 0;
        }

        /** Ctrl-C: asks the agent to stop now (it says BYE), so the capture closes without waiting for a cut. */
        private void stopAgent() {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                try {
                    vm.loadAgent(jar.toString(), "stop");
                } finally {
                    vm.detach();
                }
            } catch (Exception e) {
                // the collector's close cuts the connection; the agent stops when it sees that
            }
        }
    }
}
