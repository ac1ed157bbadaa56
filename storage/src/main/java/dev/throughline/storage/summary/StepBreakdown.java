package dev.throughline.storage.summary;

/**
 * One step of the torch_tb_profiler "Overview" step-time breakdown, in nanoseconds. The seven
 * role columns and {@code otherNs} partition the step: they always add up to {@link #durationNs()}.
 *
 * @param stepNumber N of {@code ProfilerStep#N} (0 for the single fallback step of a capture without steps)
 * @param startNs step start after the plugin's device-side adjustment
 * @param endNs step end after the plugin's device-side adjustment
 * @param communicationNs kernels launched by nccl:/gloo: collectives and the host collective ops themselves;
 *     the plugin's "Communication" column (0 on single-process captures)
 */
public record StepBreakdown(long stepNumber, long startNs, long endNs, long kernelNs, long memcpyNs,
                            long memsetNs, long communicationNs, long runtimeNs, long dataLoaderNs,
                            long cpuExecNs, long otherNs) {

    public long durationNs() {
        return endNs - startNs;
    }
}
