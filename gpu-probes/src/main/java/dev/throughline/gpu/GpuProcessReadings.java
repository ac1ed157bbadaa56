package dev.throughline.gpu;

import java.util.Collections;
import java.util.List;

/**
 * Per-process readings of every device, with what each NVML call answered: per-process memory and
 * utilization are not supported on every driver/device (vGPU, MIG, some containers), and saying
 * "unavailable: Not Supported" beats a silent empty list.
 */
public final class GpuProcessReadings {
    public final List<GpuProcessSample> samples;
    public final ProbeStatus memory;
    public final ProbeStatus utilization;

    public GpuProcessReadings(List<GpuProcessSample> samples, ProbeStatus memory, ProbeStatus utilization) {
        this.samples = Collections.unmodifiableList(samples);
        this.memory = memory;
        this.utilization = utilization;
    }

    /** This process's (or any pid's) readings. */
    public List<GpuProcessSample> forPid(long pid) {
        List<GpuProcessSample> out = new java.util.ArrayList<>();
        for (GpuProcessSample s : samples) {
            if (s.pid == pid) {
                out.add(s);
            }
        }
        return out;
    }
}
