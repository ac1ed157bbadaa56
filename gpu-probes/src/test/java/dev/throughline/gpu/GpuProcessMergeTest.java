package dev.throughline.gpu;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How NVML's per-process answers become one reading per pid; no driver needed. */
class GpuProcessMergeTest {
    @Test
    void memoryAndUtilizationJoinByPidAndTheNewestSampleWins() {
        GpuProcessMerge m = new GpuProcessMerge();
        m.compute(4242, 1L << 30);
        m.graphics(4242, 1L << 30);
        m.compute(777, GpuProcessMerge.NOT_AVAILABLE);
        m.utilization(4242, 1_000, 50, 10);
        m.utilization(4242, 3_000, 97, 40);
        m.utilization(4242, 2_000, 60, 20);
        m.utilization(9999, 2_500, 5, 1); // sampled, but exited before the process list was read
        List<GpuProcessSample> s = m.samples(0, 123);
        assertEquals(3, s.size());
        GpuProcessSample unknownMemory = s.get(0);
        assertEquals(777, unknownMemory.pid);
        assertEquals(-1, unknownMemory.usedMemoryBytes, "NVML_VALUE_NOT_AVAILABLE reads as -1");
        assertEquals(-1, unknownMemory.smUtilPercent, "no sample: -1, not 0");
        GpuProcessSample busy = s.get(1);
        assertEquals("compute+graphics", busy.kind);
        assertEquals(1L << 30, busy.usedMemoryBytes);
        assertEquals(97, busy.smUtilPercent);
        assertEquals(40, busy.memoryUtilPercent);
        assertEquals("unlisted", s.get(2).kind);
        assertEquals(3_000, m.newestSampleUs(0));
        assertEquals(5_000, m.newestSampleUs(5_000));
    }

    @Test
    void readingsFilterByPid() {
        GpuProcessMerge m = new GpuProcessMerge();
        m.compute(1, 10);
        m.compute(2, 20);
        GpuProcessReadings r = new GpuProcessReadings(m.samples(0, 0), ProbeStatus.available("x"),
                ProbeStatus.unavailable("process utilization: Not Supported (3)"));
        assertEquals(20, r.forPid(2).get(0).usedMemoryBytes);
        assertEquals("unavailable: process utilization: Not Supported (3)", r.utilization.toString());
    }
}
