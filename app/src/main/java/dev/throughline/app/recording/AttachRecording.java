package dev.throughline.app.recording;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorOptions;
import dev.throughline.app.capture.CollectorStats;
import dev.throughline.storage.CaptureSchema;
import dev.throughline.storage.CaptureWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The JVM agent loaded into a running JVM for a duration, recording into a capture. {@code throughline attach} and
 * the workbench's record dialog both attach here. The agent stops itself at the end of the duration (it says BYE);
 * {@link #stop()} asks it to stop early.
 */
public final class AttachRecording implements Recording {
    /** {@link #ended()} when the agent said BYE (duration over, or stopped) or its connection ended. */
    public static final String AGENT_DONE = "the agent finished";
    /** How long a loaded agent may take to connect before the recording gives up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** After the duration, how long the agent may take to stop and say BYE. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final long pid;
    private final Path jar;
    private final Collector collector;
    private final String target;
    private final long durationNs;
    private final long started = System.nanoTime();
    private boolean finished;

    private AttachRecording(long pid, Path jar, Collector collector, String target, long durationNs) {
        this.pid = pid;
        this.jar = jar;
        this.collector = collector;
        this.target = target;
        this.durationNs = durationNs;
    }

    /**
     * Checks the pid is a JVM not already recorded, on Java 11+, then loads the agent. {@code event}: cpu, ctimer,
     * itimer, wall or off; {@code jfr}: {@code on} GC pauses, safepoints and parks from JFR, {@code off} GC pauses
     * from MXBean notifications, {@code auto} the agent decides (JFR where starting it cannot discard the JVM's compiled code).
     */
    public static AttachRecording start(long pid, long durationNs, long intervalNs, String event, String jfr, Path out,
                                        boolean force) throws RecordingError {
        if (durationNs <= 0 || intervalNs <= 0) {
            throw new RecordingError("--duration and --interval must be positive");
        }
        if (!event.matches("cpu|ctimer|itimer|wall|off")) {
            throw new RecordingError("--event must be cpu, ctimer, itimer, wall or off, was " + event);
        }
        Path jar = JvmAgent.requireJar();
        JvmProcesses.requireJvm(pid);
        VirtualMachine vm = JvmProcesses.attach(pid);
        try {
            Properties props;
            try {
                props = vm.getSystemProperties();
            } catch (IOException e) {
                throw new RecordingError("cannot read pid " + pid + "'s properties: " + e.getMessage());
            }
            String running = JvmProcesses.recording(props);
            if (running != null) {
                throw new RecordingError("pid " + pid + " is already being recorded by Throughline (collector " + running
                        + "); wait for that recording to end");
            }
            String version = props.getProperty("java.specification.version", "?");
            if (!version.matches("\\d+") || Integer.parseInt(version) < 11) {
                throw new RecordingError("pid " + pid + " runs Java " + version + "; the agent needs Java 11 or newer");
            }
            String target = props.getProperty("sun.java.command", "?");
            CaptureWriter writer;
            try {
                writer = CaptureWriter.create(out, force);
            } catch (IOException e) {
                throw new RecordingError(e.getMessage());
            }
            writer.meta(CaptureSchema.META_SOURCE, "throughline attach");
            writer.meta("attach.pid", Long.toString(pid));
            writer.meta("attach.command", target);
            writer.meta("attach.java_version", props.getProperty("java.version", "?"));
            writer.meta("attach.duration_ns", Long.toString(durationNs));
            writer.meta("attach.event", event);
            writer.meta("attach.jfr", jfr);
            writer.meta("trace.clock", "CLOCK_MONOTONIC ns (time_origin_ns is the first event's)");
            Collector collector;
            try {
                collector = Collector.start(writer, CollectorOptions.DEFAULTS.withDrainTimeout(Duration.ofSeconds(5)));
            } catch (IOException e) {
                throw new RecordingError("cannot start the collector: " + e.getMessage());
            }
            String options = "addr=" + collector.address() + ",token=" + collector.token() + ",event=" + event
                    + ",interval=" + intervalNs + "ns,duration=" + durationNs + "ns,jfr=" + jfr
                    + (out.toString().matches("[^,\\s]+") ? ",out=" + out : "");
            try {
                vm.loadAgent(jar.toString(), options);
            } catch (AgentLoadException | AgentInitializationException | IOException e) {
                collector.abort();
                throw new RecordingError("cannot load the agent into pid " + pid + ": " + e.getMessage());
            }
            return new AttachRecording(pid, jar, collector, target, durationNs);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have exited
            }
        }
    }

    public long pid() {
        return pid;
    }

    /** The target's {@code sun.java.command}. */
    public String target() {
        return target;
    }

    @Override
    public Collector collector() {
        return collector;
    }

    @Override
    public long startedNs() {
        return started;
    }

    /**
     * Null while the agent records; {@link #AGENT_DONE} when it said BYE or its connection ended, else why it ended
     * (the target exited, the agent overran its duration). An agent that never connects is a {@link RecordingError},
     * and the capture is aborted.
     */
    @Override
    public String ended() throws RecordingError {
        long elapsed = elapsedNs();
        CollectorStats s = collector.stats();
        if (s.processes() > 0 && collector.openConnections() == 0) {
            return AGENT_DONE;
        }
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return "pid " + pid + " exited during the recording";
        }
        if (s.processes() == 0 && elapsed > CONNECT_TIMEOUT.toNanos()) {
            synchronized (this) {
                finished = true;
            }
            collector.abort();
            throw new RecordingError("the agent loaded into pid " + pid + " did not connect within "
                    + CONNECT_TIMEOUT.toSeconds() + " s (the target's stderr says why)");
        }
        if (elapsed > durationNs + STOP_GRACE.toNanos()) {
            return "the agent did not stop on time; its connection was cut";
        }
        return null;
    }

    /** Asks the agent to stop now (it says BYE), so the capture closes without waiting for a cut. */
    @Override
    public void stop() {
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

    @Override
    public synchronized CollectorStats finish() throws IOException {
        if (finished) {
            return null;
        }
        finished = true;
        CollectorStats stats = collector.stats();
        collector.close();
        return stats;
    }
}
