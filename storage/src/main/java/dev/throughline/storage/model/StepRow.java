package dev.throughline.storage.model;

/**
 * One training step with the TensorBoard profiler plugin's boundaries and breakdown (summary_step).
 * The eight parts sum to {@link #durNs()}.
 */
public record StepRow(long step, String name, long hostStartNs, long hostDurNs, long startNs, long endNs,
                      long kernelNs, long memcpyNs, long memsetNs, long communicationNs, long runtimeNs, long dataloaderNs,
                      long cpuExecNs, long otherNs) {
    public long durNs() {
        return endNs - startNs;
    }
}
