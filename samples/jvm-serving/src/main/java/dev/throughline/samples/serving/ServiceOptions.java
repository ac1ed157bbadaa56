package dev.throughline.samples.serving;

import java.util.Set;

/** The service's command line. */
record ServiceOptions(int port, int workers, int maxBatch, double maxWaitMs, int queueCapacity, boolean allocHeavy,
                      int hidden, int ioThreads, long seed) {
    static final String USAGE = "usage: java -jar jvm-serving.jar [--port 0] [--workers 2] [--max-batch 8]"
            + " [--max-wait-ms 2] [--queue 256] [--alloc-heavy] [--hidden 256] [--io-threads 2] [--seed 42]";

    static ServiceOptions parse(String[] args) {
        Flags f = new Flags(args, Set.of("--port", "--workers", "--max-batch", "--max-wait-ms", "--queue", "--hidden",
                "--io-threads", "--seed"), Set.of("--alloc-heavy"));
        ServiceOptions o = new ServiceOptions(f.integer("--port", 0), f.integer("--workers", 2),
                f.integer("--max-batch", 8), f.decimal("--max-wait-ms", 2), f.integer("--queue", 256),
                f.has("--alloc-heavy"), f.integer("--hidden", 256), f.integer("--io-threads", 2),
                f.integer("--seed", 42));
        if (o.workers < 1 || o.maxBatch < 1 || o.queueCapacity < 1 || o.hidden < 1 || o.ioThreads < 1 || o.maxWaitMs < 0) {
            throw new IllegalArgumentException("--workers, --max-batch, --queue, --hidden, --io-threads must be >= 1,"
                    + " --max-wait-ms >= 0");
        }
        return o;
    }
}
