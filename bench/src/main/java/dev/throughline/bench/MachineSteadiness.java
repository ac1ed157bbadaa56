package dev.throughline.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How steady is this machine's CPU? A fixed amount of arithmetic (a 64×64 matrix-vector product, the serving
 * sample's kind of work, no allocation, no I/O) run for {@code --seconds}, counted per second. On a quiet machine each
 * second does the same work; where the hypervisor shares the core, the counts dip. The summary says how much, and what
 * an A/A comparison of consecutive {@code --window}-second windows of the very same loop reads: the smallest change an
 * A/B of the agent could resolve on this machine. Pin it with taskset to the core to judge.
 * Usage: java -cp throughline-bench.jar dev.throughline.bench.MachineSteadiness [--seconds 60] [--window 10]
 */
public final class MachineSteadiness {
    private static final int N = 64;

    public static void main(String[] args) {
        int seconds = 60;
        int window = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds": seconds = Integer.parseInt(args[i + 1]); break;
                case "--window": window = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        double[] perSecond = run(seconds + 3);
        perSecond = Arrays.copyOfRange(perSecond, 3, perSecond.length); // the JIT's first seconds
        System.out.println(report(perSecond, window));
    }

    /** Products per second, for each whole second. */
    static double[] run(int seconds) {
        double[] w = new double[N * N];
        double[] x = new double[N];
        double[] y = new double[N];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7) * 0.01;
        }
        for (int i = 0; i < N; i++) {
            x[i] = i * 0.1;
        }
        double[] counts = new double[seconds];
        long start = System.nanoTime();
        long n = 0;
        for (int s = 0; s < seconds; s++) {
            long end = start + (s + 1) * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (int k = 0; k < 256; k++) {
                    for (int o = 0; o < N; o++) {
                        double sum = 0;
                        for (int i = 0; i < N; i++) {
                            sum += w[o * N + i] * x[i];
                        }
                        y[o] = sum;
                    }
                    x[(int) (n++ & (N - 1))] += y[3] * 1e-12; // keeps the products live
                }
            }
            counts[s] = n;
            n = 0;
        }
        return counts;
    }

    static String report(double[] perSecond, int window) {
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "per second (thousands): median %.1f, min %.1f (%+.1f %%), max %.1f (%+.1f %%),"
                        + " seconds more than 5 %% below the median: %d of %d%n", median / 1e3, sorted[0] / 1e3,
                pct(sorted[0], median), sorted[sorted.length - 1] / 1e3, pct(sorted[sorted.length - 1], median),
                Arrays.stream(perSecond).filter(v -> v < 0.95 * median).count(), perSecond.length));
        List<Double> changes = new ArrayList<>();
        for (int a = 0; a + 2 * window <= perSecond.length; a += 2 * window) {
            double first = 0;
            double second = 0;
            for (int i = 0; i < window; i++) {
                first += perSecond[a + i];
                second += perSecond[a + window + i];
            }
            changes.add(pct(second, first));
        }
        if (!changes.isEmpty()) {
            double[] c = changes.stream().mapToDouble(Double::doubleValue).toArray();
            double[] abs = Arrays.stream(c).map(Math::abs).sorted().toArray();
            out.append(String.format(Locale.ROOT, "A/A of consecutive %d s windows (the same loop): %d pairs, |change| median"
                            + " %.1f %%, max %.1f %%; changes %s%n", window, c.length, abs[abs.length / 2],
                    abs[abs.length - 1], Arrays.toString(Arrays.stream(c).map(v -> Math.round(v * 10) / 10.0).toArray())));
        }
        out.append("per second: ");
        for (double v : perSecond) {
            out.append(Math.round(v / 1e3)).append(' ');
        }
        return out.toString().trim();
    }

    private static double pct(double value, double base) {
        return 100 * (value - base) / base;
    }
}
