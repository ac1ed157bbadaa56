package dev.throughline.app.cli;

import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.recording.LaunchRecording;
import dev.throughline.app.recording.RecordingError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

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
        LaunchRecording recording;
        try {
            recording = LaunchRecording.start(new LaunchRecording.Options(command, out, force, sampleHz, gpuHz,
                    torchProfiler), null, err);
        } catch (RecordingError e) {
            throw new UserError(e.getMessage());
        }
        Session session = new Session(recording, err);
        Process child = recording.child();
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

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: only the child's end (or Ctrl-C, through the shutdown hook) ends a recording
            }
        }
    }

    /** The CLI's side of one recording: the status line, and the end that happens once (normal exit or Ctrl-C). */
    private static final class Session {
        private final LaunchRecording recording;
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private boolean finished;
        private boolean statusShown;

        Session(LaunchRecording recording, PrintWriter err) {
            this.recording = recording;
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
                        String line = statusLine(recording.stats(), recording.elapsedNs());
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
            Process p = recording.child();
            if (interrupted && p.isAlive()) {
                err.println("throughline: interrupted: stopping " + p.pid() + " and closing the capture");
                err.flush();
                recording.stop();
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

    static String statusLine(CollectorStats s, long elapsedNs) {
        return RecordingOutput.statusLine(s, elapsedNs);
    }
}
