package dev.throughline.storage.model;

/** Busy/idle time of one GPU over a window, by one method ("tracelens" or "hta"); see docs/analysis.md. */
public record GpuRow(int device, String method, long windowStartNs, long windowEndNs, long busyNs, long idleNs,
                     long computeNs, long nonComputeNs, long exposedCommNs, long exposedMemcpyNs) {
    public long totalNs() {
        return windowEndNs - windowStartNs;
    }
}
