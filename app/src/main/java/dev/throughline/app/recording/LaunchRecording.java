package dev.throughline.app.recording;

import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.capture.GpuCounterFeed;
import dev.throughline.gpu.NvmlSampler;
import dev.throughline.storage.CaptureSchema;
import dev.throughline.storage.CaptureWriter;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with the profiling agent injected (Python through PYTHONPATH + sitecustomize, java through
 * JAVA_TOOL_OPTIONS) and records it: the collector, the NVML counter feed where there is a driver, and the child.
 * {@code throughline record} and the workbench's record dialog both start recordings here.
 */
public final class LaunchRecording implements Recording {
    /** The Python agent's bootstrap (its sitecustomize.py), relative to throughline.home. */
    public static final Path PYTHON_BOOTSTRAP = Path.of("profiler-agents", "python", "bootstrap");

    /**
     * @param gpuHz NVML readings per second (0: off)
     */
    public record Options(List<String> command, Path out, boolean force, int sampleHz, int gpuHz, boolean torchProfiler) {
        public Options {
            command = List.copyOf(command);
        }
    }

    private final Collector collector;
    private final GpuCounterFeed gpuFeed;
    private final Process child;
    private final long started = System.nanoTime();
    private boolean finished;

    private LaunchRecording(Collector collector, GpuCounterFeed gpuFeed, Process child) {
        this.collector = collector;
        this.gpuFeed = gpuFeed;
        this.child = child;
    }

    /**
     * Starts the collector and the command. {@code output} is where the child's stdout and stderr go (null: this
     * process's own); {@code warnings} gets one line per thing that runs without profiling or counters.
     */
    public static LaunchRecording start(Options o, ProcessBuilder.Redirect output, PrintWriter warnings)
            throws RecordingError {
        if (o.command().isEmpty()) {
            throw new RecordingError("no command to run");
        }
        if (o.sampleHz() < 0) {
            throw new RecordingError("--sample-hz must be 0 or more, was " + o.sampleHz());
        }
        Path home = JvmAgent.home();
        Path bootstrap = home.resolve(PYTHON_BOOTSTRAP);
        if (!Files.isRegularFile(bootstrap.resolve("sitecustomize.py"))) {
            warnings.println("throughline: warning: no Python agent at " + bootstrap + " (throughline.home is " + home
                    + "); a Python command runs unprofiled");
        }
        CaptureWriter writer;
        try {
            writer = CaptureWriter.create(o.out(), o.force());
        } catch (IOException e) {
            throw new RecordingError(e.getMessage());
        }
        writer.meta(CaptureSchema.META_SOURCE, "throughline record");
        writer.meta("record.command", String.join(" ", o.command()));
        writer.meta("record.sample_hz", Integer.toString(o.sampleHz()));
        writer.meta("record.torch_profiler", Boolean.toString(o.torchProfiler()));
        writer.meta("trace.clock", "CLOCK_MONOTONIC ns (time_origin_ns is the first event's)");
        // NVML: the capture says whether GPU counters were read, and if not why, in every case
        NvmlSampler.Opened nvml = o.gpuHz() > 0 ? NvmlSampler.open() : null;
        writer.meta("gpu.nvml", nvml == null ? "off (--gpu-hz 0)" : nvml.status.toString());
        Collector collector;
        try {
            collector = Collector.start(writer);
        } catch (IOException e) {
            if (nvml != null && nvml.sampler != null) {
                nvml.sampler.close();
            }
            throw new RecordingError("cannot start the collector: " + e.getMessage());
        }
        GpuCounterFeed gpuFeed = null;
        if (nvml != null && nvml.sampler != null) {
            try {
                gpuFeed = GpuCounterFeed.start(nvml.sampler, collector, o.gpuHz());
            } catch (IOException e) {
                nvml.sampler.close();
                warnings.println("throughline: warning: GPU counters off: " + e.getMessage());
            }
        }

        ProcessBuilder pb = new ProcessBuilder(o.command());
        if (output == null) {
            pb.inheritIO();
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output).redirectErrorStream(true);
        }
        pb.environment().putAll(agentEnvironment(collector.address(), collector.token(), o.sampleHz(), o.torchProfiler(),
                bootstrap, System.getenv("PYTHONPATH")));
        if (!o.torchProfiler()) {
            pb.environment().remove("THROUGHLINE_TORCH_PROFILER");
        }
        // a java COMMAND gets the JVM agent through JAVA_TOOL_OPTIONS, as Python gets its bootstrap
        pb.environment().putAll(JvmAgent.forJavaChild(o.command(), o.sampleHz(), o.out(),
                System.getenv("JAVA_TOOL_OPTIONS"), warnings));
        try {
            return new LaunchRecording(collector, gpuFeed, pb.start());
        } catch (IOException e) {
            if (gpuFeed != null) {
                gpuFeed.close();
            }
            collector.abort();
            throw new RecordingError("cannot run " + o.command().get(0) + ": " + e.getMessage());
        }
    }

    /** What the child's environment gets on top of ours. */
    public static Map<String, String> agentEnvironment(String address, String token, int sampleHz, boolean torchProfiler,
                                                       Path bootstrap, String pythonPath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("THROUGHLINE_ADDR", address);
        env.put("THROUGHLINE_TOKEN", token);
        env.put("THROUGHLINE_SAMPLE_HZ", Integer.toString(sampleHz));
        if (torchProfiler) {
            env.put("THROUGHLINE_TORCH_PROFILER", "1");
        }
        env.put("PYTHONPATH", pythonPath == null || pythonPath.isEmpty() ? bootstrap.toString()
                : bootstrap + File.pathSeparator + pythonPath);
        return env;
    }

    public Process child() {
        return child;
    }

    @Override
    public Collector collector() {
        return collector;
    }

    @Override
    public long startedNs() {
        return started;
    }

    /** Null while the command runs; then "exit code N". */
    @Override
    public String ended() {
        return child.isAlive() ? null : "exit code " + child.exitValue();
    }

    /** Stops the command and its children: SIGTERM, then SIGKILL after 3 s. */
    @Override
    public void stop() {
        if (!child.isAlive()) {
            return;
        }
        child.descendants().forEach(ProcessHandle::destroy);
        child.destroy();
        try {
            if (!child.waitFor(3, TimeUnit.SECONDS)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly();
                child.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized CollectorStats finish() throws IOException {
        if (finished) {
            return null;
        }
        finished = true;
        if (gpuFeed != null) {
            gpuFeed.close(); // says BYE before the collector stops listening
        }
        CollectorStats stats = collector.stats();
        collector.close();
        return stats;
    }
}
