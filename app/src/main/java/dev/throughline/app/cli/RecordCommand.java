package dev.throughline.app.cli;

import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.capture.GpuCounterFeed;
import dev.throughline.gpu.NvmlSampler;
import dev.throughline.storage.CaptureSchema;
import dev.throughline.storage.CaptureWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Run COMMAND with the profiling agent injected and record it into a capture.",
            "A collector listens on 127.0.0.1 (random port, random per-recording token); a Python COMMAND is",
            "profiled through PYTHONPATH + sitecustomize, with no change to the script (a java COMMAND through",
            "-javaagent in JAVA_TOOL_OPTIONS). While it runs, one",
            "status line on stderr; at the end, the findings and the capture's path. The exit code is COMMAND's.",
            "Ctrl-C stops COMMAND and still closes the capture."},
        footer = {"", "Example: throughline record -o train.tlcap -- /usr/bin/python3 train.py --epochs 1",
            "Everything from COMMAND on is COMMAND's (the -- is optional)."},
        modelTransformer = RecordCommand.StopAtCommand.class)
final class RecordCommand implements Callable<Integer> {
    /** Options after COMMAND belong to COMMAND: {@code record python train.py --steps 3} needs no {@code --}. */
    static final class StopAtCommand implements picocli.CommandLine.IModelTransformer {
        @Override
        public picocli.CommandLine.Model.CommandSpec transform(picocli.CommandLine.Model.CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }

    /** The Python agent's bootstrap (its sitecustomize.py), relative to throughline.home. */
    static final Path PYTHON_BOOTSTRAP = Path.of("profiler-agents", "python", "bootstrap");

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tlcap",
            description = "the capture to write (default: record-YYYYMMDD-HHMMSS.tlcap here)")
    Path output;

    @Option(names = "--force", description = "overwrite OUT if it exists")
    boolean force;

    @Option(names = "--sample-hz", paramLabel = "N", defaultValue = "100",
            description = "stack samples per second and thread (0: no sampling; default ${DEFAULT-VALUE})")
    int sampleHz;

    @Option(names = "--gpu-hz", paramLabel = "N", defaultValue = "10",
            description = "NVML GPU counter readings per second where a driver is present (0: off; default ${DEFAULT-VALUE})")
    int gpuHz;

    @Option(names = "--torch-profiler", description = "also stream torch.profiler activities (CPU ops; CUDA kernels, memcpy)")
    boolean torchProfiler;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the command and its arguments, after --")
    List<String> command;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (sampleHz < 0) {
            throw new UserError("--sample-hz must be 0 or more, was " + sampleHz);
        }
        Path out = RecordingOutput.capturePath(output, force, "record");
        Path home = Path.of(System.getProperty("throughline.home", ".")).toAbsolutePath().normalize();
        Path bootstrap = home.resolve(PYTHON_BOOTSTRAP);
        if (!Files.isRegularFile(bootstrap.resolve("sitecustomize.py"))) {
            err.println("throughline: warning: no Python agent at " + bootstrap + " (throughline.home is " + home
                    + "); a Python command runs unprofiled");
        }

        CaptureWriter writer;
        try {
            writer = CaptureWriter.create(out, force);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        writer.meta(CaptureSchema.META_SOURCE, "throughline record");
        writer.meta("record.command", String.join(" ", command));
        writer.meta("record.sample_hz", Integer.toString(sampleHz));
        writer.meta("record.torch_profiler", Boolean.toString(torchProfiler));
        writer.meta("trace.clock", "CLOCK_MONOTONIC ns (time_origin_ns is the first event's)");
        // NVML: the capture says whether GPU counters were read, and if not why, in every case
        NvmlSampler.Opened nvml = gpuHz > 0 ? NvmlSampler.open() : null;
        writer.meta("gpu.nvml", nvml == null ? "off (--gpu-hz 0)" : nvml.status.toString());
        Collector collector = Collector.start(writer);
        GpuCounterFeed gpuFeed = null;
        if (nvml != null && nvml.sampler != null) {
            try {
                gpuFeed = GpuCounterFeed.start(nvml.sampler, collector, gpuHz);
            } catch (IOException e) {
                nvml.sampler.close();
                err.println("throughline: warning: GPU counters off: " + e.getMessage());
            }
        }

        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(agentEnvironment(collector.address(), collector.token(), sampleHz, torchProfiler,
                bootstrap, System.getenv("PYTHONPATH")));
        if (!torchProfiler) {
            pb.environment().remove("THROUGHLINE_TORCH_PROFILER");
        }
        // a java COMMAND gets the JVM agent through JAVA_TOOL_OPTIONS, as Python gets its bootstrap
        pb.environment().putAll(JvmAgent.forJavaChild(command, sampleHz, out, System.getenv("JAVA_TOOL_OPTIONS"), err));
        Session session = new Session(collector, gpuFeed, err);
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            if (gpuFeed != null) {
                gpuFeed.close();
            }
            collector.abort();
            throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        session.child = child;
        Thread hook = new Thread(() -> session.finish(true), "throughline-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread status = new Thread(session::statusLoop, "throughline-record-status");
        status.setDaemon(true);
        status.start();
        int code;
        try {
            code = waitFor(child);
        } finally {
            status.interrupt();
        }
        Integer finished = session.finish(false);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it finished the capture
        }
        if (finished != null && finished != 0 && code == 0) {
            return finished; // the capture failed while the command succeeded: say so in the exit code
        }
        return code;
    }

    /** What the child's environment gets on top of ours. */
    static Map<String, String> agentEnvironment(String address, String token, int sampleHz, boolean torchProfiler,
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

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: only the child's end (or Ctrl-C, through the shutdown hook) ends a recording
            }
        }
    }

    /** One recording: the child, the collector, and the end that happens once (normal exit or Ctrl-C). */
    private static final class Session {
        private final Collector collector;
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private final long started = System.nanoTime();
        private volatile Process child;
        private boolean finished;
        private boolean statusShown;

        private final GpuCounterFeed gpuFeed;

        Session(Collector collector, GpuCounterFeed gpuFeed, PrintWriter err) {
            this.collector = collector;
            this.gpuFeed = gpuFeed;
            this.err = err;
        }

        void statusLoop() {
            long every = terminal ? 1000 : 5000;
            try {
                while (true) {
                    Thread.sleep(every);
                    synchronized (this) {
                        if (finished) {
                            return;
                        }
                        String line = statusLine(collector.stats(), System.nanoTime() - started);
                        if (terminal) {
                            err.print("\r" + line + "\u001b[K");
                        } else {
                            err.println(line);
                        }
                        err.flush();
                        statusShown = true;
                    }
                }
            } catch (InterruptedException stop) {
                // the recording ended
            }
        }

        /**
         * Closes the capture and prints the summary, once. From the shutdown hook ({@code interrupted}), first stops
         * the child (and its children) if it still runs. Returns null if already finished, 0 when the capture was
         * written, 1 when it could not be.
         */
        synchronized Integer finish(boolean interrupted) {
            if (finished) {
                return null;
            }
            finished = true;
            if (statusShown && terminal) {
                err.print("\r\u001b[K");
            }
            Process p = child;
            if (interrupted && p != null && p.isAlive()) {
                err.println("throughline: interrupted: stopping " + p.pid() + " and closing the capture");
                err.flush();
                stop(p);
            }
            if (gpuFeed != null) {
                gpuFeed.close(); // says BYE before the collector stops listening
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
            summary(stats, elapsed);
            err.flush();
            return 0;
        }

        private void stop(Process p) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void summary(CollectorStats stats, long elapsedNs) {
            RecordingOutput.summary(err, collector, stats, elapsedNs);
        }
    }

    static String statusLine(CollectorStats s, long elapsedNs) {
        return RecordingOutput.statusLine(s, elapsedNs);
    }
}
