package dev.throughline.gpu;

/**
 * One process's share of one device, from NVML. Values NVML did not give are -1: memory on a driver
 * that hides it (NVML_VALUE_NOT_AVAILABLE, e.g. under some virtualization), utilization where the
 * driver keeps no per-process samples or the process ran nothing since the last reading.
 *
 * @param pid as NVML sees it: the host's pid namespace, which inside a container need not be ours
 */
public final class GpuProcessSample {
    public final int device;
    public final long tsNs;
    public final long pid;
    /** "compute", "graphics" or "compute+graphics". */
    public final String kind;
    public final long usedMemoryBytes;
    public final int smUtilPercent;
    public final int memoryUtilPercent;

    public GpuProcessSample(int device, long tsNs, long pid, String kind, long usedMemoryBytes, int smUtilPercent,
                            int memoryUtilPercent) {
        this.device = device;
        this.tsNs = tsNs;
        this.pid = pid;
        this.kind = kind;
        this.usedMemoryBytes = usedMemoryBytes;
        this.smUtilPercent = smUtilPercent;
        this.memoryUtilPercent = memoryUtilPercent;
    }

    @Override
    public String toString() {
        return "gpu" + device + " pid " + pid + " (" + kind + "): memory " + usedMemoryBytes + " B, SM " + smUtilPercent
                + " %, memory " + memoryUtilPercent + " %";
    }
}
