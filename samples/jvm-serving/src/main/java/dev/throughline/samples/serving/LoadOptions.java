package dev.throughline.samples.serving;

import java.nio.file.Path;
import java.util.Set;

/** The load generator's command line. {@code closed} > 0 selects the closed loop; otherwise open loop at {@code rate}. */
record LoadOptions(String host, int port, double rate, double durationS, double warmupS, int closed, int connections,
                   Path histogram, long seed, Path log, Path progress, long cpuOfPid) {
    static final String USAGE = "usage: java -cp jvm-serving.jar dev.throughline.samples.serving.LoadGenerator"
            + " --port PORT [--host 127.0.0.1] (--rate 500 | --closed N) [--duration-s 10] [--warmup-s 0] [--connections 64]"
            + " [--histogram latency.hgrm] [--seed 42] [--log requests.tsv] [--progress progress.txt [--cpu-of PID]]";

    static LoadOptions parse(String[] args) {
        Flags f = new Flags(args, Set.of("--host", "--port", "--rate", "--duration-s", "--warmup-s", "--closed",
                "--connections", "--histogram", "--seed", "--log", "--progress", "--cpu-of"), Set.of());
        if (!f.has("--port")) {
            throw new IllegalArgumentException("--port is required");
        }
        LoadOptions o = new LoadOptions(f.text("--host", "127.0.0.1"), f.integer("--port", 0),
                f.decimal("--rate", 500), f.decimal("--duration-s", 10), f.decimal("--warmup-s", 0),
                f.integer("--closed", 0), f.integer("--connections", 64), Path.of(f.text("--histogram", "latency.hgrm")), f.integer("--seed", 42),
                f.has("--log") ? Path.of(f.text("--log", "")) : null,
                f.has("--progress") ? Path.of(f.text("--progress", "")) : null, f.integer("--cpu-of", 0));
        if (o.cpuOfPid != 0 && o.progress == null) {
            throw new IllegalArgumentException("--cpu-of needs --progress");
        }
        if (o.rate <= 0 || o.durationS <= 0 || o.warmupS < 0 || o.closed < 0 || o.connections < 1) {
            throw new IllegalArgumentException("--rate and --duration-s must be > 0, --warmup-s and --closed >= 0");
        }
        return o;
    }
}
