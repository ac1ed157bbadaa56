package dev.throughline.app.analysis;

import dev.throughline.storage.model.StepRow;
import dev.throughline.storage.summary.Percentiles;

import java.util.Arrays;
import java.util.List;

/**
 * Step-time statistics over the TensorBoard-plugin step boundaries (summary_step).
 * Percentiles are nearest-rank on exact values. The breakdown is the mean per step of each part,
 * rounded so that the eight parts add up to {@link #meanNs()} exactly (largest remainder).
 */
public record StepStats(int count, long meanNs, long p50Ns, long p95Ns, long maxNs, long hostMeanNs,
                        Breakdown breakdown) {

    /** Mean nanoseconds per step in each TensorBoard-plugin category. */
    public record Breakdown(long kernelNs, long memcpyNs, long memsetNs, long communicationNs, long runtimeNs,
                            long dataloaderNs,
                            long cpuExecNs, long otherNs) {
        public long sum() {
            return kernelNs + memcpyNs + memsetNs + communicationNs + runtimeNs + dataloaderNs + cpuExecNs + otherNs;
        }

        public long[] parts() {
            return new long[] {kernelNs, memcpyNs, memsetNs, communicationNs, runtimeNs, dataloaderNs, cpuExecNs, otherNs};
        }
    }

    public static final List<String> PART_NAMES =
            List.of("kernel", "memcpy", "memset", "communication", "runtime", "dataloader", "cpu_exec", "other");

    public static StepStats of(List<StepRow> steps) {
        int n = steps.size();
        if (n == 0) {
            return new StepStats(0, 0, 0, 0, 0, 0, new Breakdown(0, 0, 0, 0, 0, 0, 0, 0));
        }
        long[] durs = new long[n];
        long[] sums = new long[8];
        long hostTotal = 0;
        long total = 0;
        for (int i = 0; i < n; i++) {
            StepRow s = steps.get(i);
            durs[i] = s.durNs();
            total += s.durNs();
            hostTotal += s.hostDurNs();
            long[] p = {s.kernelNs(), s.memcpyNs(), s.memsetNs(), s.communicationNs(), s.runtimeNs(), s.dataloaderNs(), s.cpuExecNs(),
                s.otherNs()};
            for (int k = 0; k < 8; k++) {
                sums[k] += p[k];
            }
        }
        Arrays.sort(durs);
        long mean = total / n;
        long[] parts = largestRemainder(sums, n, mean);
        return new StepStats(n, mean, Percentiles.nearestRank(durs, 50), Percentiles.nearestRank(durs, 95),
                durs[n - 1], hostTotal / n,
                new Breakdown(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7]));
    }

    /** sums[k] / n, floored, then the ns left over handed to the largest remainders so they total {@code target}. */
    static long[] largestRemainder(long[] sums, int n, long target) {
        long[] out = new long[sums.length];
        long[] rem = new long[sums.length];
        long assigned = 0;
        for (int k = 0; k < sums.length; k++) {
            out[k] = Math.floorDiv(sums[k], n);
            rem[k] = Math.floorMod(sums[k], n);
            assigned += out[k];
        }
        long left = target - assigned;
        while (left > 0) {
            int best = 0;
            for (int k = 1; k < sums.length; k++) {
                if (rem[k] > rem[best]) {
                    best = k;
                }
            }
            out[best]++;
            rem[best] = -1;
            left--;
        }
        return out;
    }
}
