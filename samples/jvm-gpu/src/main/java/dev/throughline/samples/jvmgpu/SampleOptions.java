package dev.throughline.samples.jvmgpu;

import java.nio.file.Path;

/** The sample's flags. Unknown or malformed flags are an error (exit 64), not a silent default. */
final class SampleOptions {
    int iterations = 50;
    int warmup = 3;
    int size = 4096;
    double busySeconds;
    Path report;

    static final String USAGE = "usage: jvm-gpu [--iterations N (50)] [--warmup N (3)] [--size N (4096)]"
            + " [--busy-seconds S (0: off)] [--report FILE]";

    static SampleOptions parse(String[] args) {
        SampleOptions o = new SampleOptions();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag + "\n" + USAGE);
            }
            String v = args[++i];
            try {
                switch (flag) {
                    case "--iterations":
                        o.iterations = positive(flag, Integer.parseInt(v));
                        break;
                    case "--warmup":
                        o.warmup = Integer.parseInt(v);
                        break;
                    case "--size":
                        o.size = positive(flag, Integer.parseInt(v));
                        break;
                    case "--busy-seconds":
                        o.busySeconds = Double.parseDouble(v);
                        break;
                    case "--report":
                        o.report = Path.of(v);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + flag + ": " + v);
            }
        }
        return o;
    }

    private static int positive(String flag, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(flag + " must be positive: " + v);
        }
        return v;
    }
}
