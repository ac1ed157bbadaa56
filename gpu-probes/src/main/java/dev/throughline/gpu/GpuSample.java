package dev.throughline.gpu;

/**
 * One NVML reading of one device. Values NVML could not give on this device are -1.
 *
 * @param tsNs CLOCK_MONOTONIC time of the reading (System.nanoTime on Linux)
 */
public final class GpuSample {
    public final int device;
    public final long tsNs;
    public final int gpuUtilPercent;
    public final int memoryUtilPercent;
    public final long memoryUsedBytes;
    public final long memoryTotalBytes;
    public final int powerMilliwatts;
    public final int smClockMhz;
    public final int memoryClockMhz;
    public final int temperatureC;
    public final int pcieRxKBps;
    public final int pcieTxKBps;

    public GpuSample(int device, long tsNs, int gpuUtilPercent, int memoryUtilPercent, long memoryUsedBytes,
                     long memoryTotalBytes, int powerMilliwatts, int smClockMhz, int memoryClockMhz,
                     int temperatureC, int pcieRxKBps, int pcieTxKBps) {
        this.device = device;
        this.tsNs = tsNs;
        this.gpuUtilPercent = gpuUtilPercent;
        this.memoryUtilPercent = memoryUtilPercent;
        this.memoryUsedBytes = memoryUsedBytes;
        this.memoryTotalBytes = memoryTotalBytes;
        this.powerMilliwatts = powerMilliwatts;
        this.smClockMhz = smClockMhz;
        this.memoryClockMhz = memoryClockMhz;
        this.temperatureC = temperatureC;
        this.pcieRxKBps = pcieRxKBps;
        this.pcieTxKBps = pcieTxKBps;
    }
}
