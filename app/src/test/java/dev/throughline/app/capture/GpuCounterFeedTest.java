package dev.throughline.app.capture;

import dev.throughline.gpu.GpuProcessReadings;
import dev.throughline.gpu.GpuProcessSample;
import dev.throughline.gpu.ProbeStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-process NVML readings as counters (the readings themselves need a driver: GpuCheck runs them on a GPU). */
class GpuCounterFeedTest {
    @Test
    void perProcessReadingsBecomeCountersNamedByDeviceAndPidLeavingOutWhatTheDriverCouldNotGive() {
        GpuProcessReadings readings = new GpuProcessReadings(List.of(
                new GpuProcessSample(0, 1_000, 4242, "compute", 512L << 20, 87, 40),
                new GpuProcessSample(1, 1_000, 77, "graphics", 1L << 20, -1, -1)),
                ProbeStatus.available("per-process memory on 2 of 2 device(s)"),
                ProbeStatus.unavailable("process utilization: Not Supported"));
        assertEquals(List.of(
                new GpuCounterFeed.ProcessCounter("gpu0 pid 4242 memory bytes", 1_000, 512L << 20),
                new GpuCounterFeed.ProcessCounter("gpu0 pid 4242 SM %", 1_000, 87),
                new GpuCounterFeed.ProcessCounter("gpu0 pid 4242 memory %", 1_000, 40),
                new GpuCounterFeed.ProcessCounter("gpu1 pid 77 memory bytes", 1_000, 1L << 20)),
                GpuCounterFeed.processCounters(readings));
    }
}
