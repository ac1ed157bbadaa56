package dev.throughline.storage.model;

/**
 * Why one GPU stream sat idle between its events (HTA idle time breakdown, see docs/analysis.md): time and number of
 * gaps per cause.
 */
public record GpuIdleRow(int device, long stream, long hostWaitNs, long kernelWaitNs, long otherNs,
                         int hostWaitGaps, int kernelWaitGaps, int otherGaps) {
    public long idleNs() {
        return hostWaitNs + kernelWaitNs + otherNs;
    }
}
