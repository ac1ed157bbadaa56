package dev.throughline.gpu;

import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.cuda.nvml.nvmlProcessInfo_v2_t;
import org.bytedeco.cuda.nvml.nvmlProcessUtilizationSample_t;
import org.bytedeco.cuda.nvml.nvmlUtilization_t;
import org.bytedeco.javacpp.Loader;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-device GPU counters through NVML (JavaCPP CUDA presets): utilization, memory, power, clocks,
 * temperature, PCIe throughput. Where there is no driver (every preset loads the cudart bindings
 * first, which need libcuda.so.1), {@link #open()} reports "unavailable: reason" and nothing else
 * happens: the probe boundary catches every Throwable, so the JVM keeps running.
 */
public final class NvmlSampler implements AutoCloseable {
    private final List<nvmlDevice_st> devices;

    /** Per device: the newest per-process utilization sample seen (NVML µs), to ask only for newer ones. */
    private final long[] lastProcessSampleUs;

    private NvmlSampler(List<nvmlDevice_st> devices) {
        this.devices = devices;
        this.lastProcessSampleUs = new long[devices.size()];
    }

    /** The outcome of trying to start NVML: a sampler, or why there is none. */
    public static final class Opened {
        public final ProbeStatus status;
        /** Null when unavailable. */
        public final NvmlSampler sampler;

        Opened(ProbeStatus status, NvmlSampler sampler) {
            this.status = status;
            this.sampler = sampler;
        }
    }

    /** The first failure to load the bindings: a JVM cannot retry (the class stays uninitialised). */
    private static volatile ProbeStatus loadFailure;

    public static Opened open() {
        ProbeStatus failed = loadFailure;
        if (failed != null) {
            return new Opened(failed, null);
        }
        try {
            Loader.load(nvml.class);
            int rc = nvml.nvmlInit_v2();
            if (rc != nvml.NVML_SUCCESS) {
                return new Opened(ProbeStatus.unavailable("NVML init failed: " + error(rc)), null);
            }
            int[] count = new int[1];
            rc = nvml.nvmlDeviceGetCount_v2(count);
            if (rc != nvml.NVML_SUCCESS) {
                nvml.nvmlShutdown();
                return new Opened(ProbeStatus.unavailable("NVML device count failed: " + error(rc)), null);
            }
            List<nvmlDevice_st> devices = new ArrayList<>();
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < count[0]; i++) {
                nvmlDevice_st handle = new nvmlDevice_st();
                if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) == nvml.NVML_SUCCESS) {
                    devices.add(handle);
                    byte[] name = new byte[96];
                    if (nvml.nvmlDeviceGetName(handle, name, name.length) == nvml.NVML_SUCCESS) {
                        names.append(names.length() == 0 ? "" : ", ").append(i).append(": ").append(cString(name));
                    }
                }
            }
            if (devices.isEmpty()) {
                nvml.nvmlShutdown();
                return new Opened(ProbeStatus.unavailable("NVML found no GPU"), null);
            }
            return new Opened(ProbeStatus.available(devices.size() + " GPU(s) " + names), new NvmlSampler(devices));
        } catch (Throwable t) {
            ProbeStatus status = ProbeStatus.unavailable(ProbeFailures.reason(t));
            loadFailure = status;
            return new Opened(status, null);
        }
    }

    public int deviceCount() {
        return devices.size();
    }

    /** One reading of every device; a value NVML refuses on a device is -1. */
    public List<GpuSample> sample() {
        List<GpuSample> out = new ArrayList<>(devices.size());
        int[] v = new int[1];
        for (int i = 0; i < devices.size(); i++) {
            nvmlDevice_st d = devices.get(i);
            long ts = System.nanoTime();
            int gpu = -1;
            int mem = -1;
            try (nvmlUtilization_t u = new nvmlUtilization_t()) {
                if (nvml.nvmlDeviceGetUtilizationRates(d, u) == nvml.NVML_SUCCESS) {
                    gpu = u.gpu();
                    mem = u.memory();
                }
            }
            long used = -1;
            long total = -1;
            try (nvmlMemory_t m = new nvmlMemory_t()) {
                if (nvml.nvmlDeviceGetMemoryInfo(d, m) == nvml.NVML_SUCCESS) {
                    used = m.used();
                    total = m.total();
                }
            }
            int power = nvml.nvmlDeviceGetPowerUsage(d, v) == nvml.NVML_SUCCESS ? v[0] : -1;
            int sm = nvml.nvmlDeviceGetClockInfo(d, nvml.NVML_CLOCK_SM, v) == nvml.NVML_SUCCESS ? v[0] : -1;
            int memClock = nvml.nvmlDeviceGetClockInfo(d, nvml.NVML_CLOCK_MEM, v) == nvml.NVML_SUCCESS ? v[0] : -1;
            int temp = nvml.nvmlDeviceGetTemperature(d, nvml.NVML_TEMPERATURE_GPU, v) == nvml.NVML_SUCCESS ? v[0] : -1;
            int rx = nvml.nvmlDeviceGetPcieThroughput(d, nvml.NVML_PCIE_UTIL_RX_BYTES, v) == nvml.NVML_SUCCESS ? v[0] : -1;
            int tx = nvml.nvmlDeviceGetPcieThroughput(d, nvml.NVML_PCIE_UTIL_TX_BYTES, v) == nvml.NVML_SUCCESS ? v[0] : -1;
            out.add(new GpuSample(i, ts, gpu, mem, used, total, power, sm, memClock, temp, rx, tx));
        }
        return out;
    }

    /**
     * Per-process GPU memory (compute and graphics processes) and per-process SM/memory utilization
     * (the newest NVML sample since the last call) of every device. Each part says whether the
     * driver gave it: not every driver, device or container supports per-process readings.
     */
    public GpuProcessReadings sampleProcesses() {
        List<GpuProcessSample> out = new ArrayList<>();
        String memoryError = null;
        String utilError = null;
        int memoryOk = 0;
        int utilOk = 0;
        for (int i = 0; i < devices.size(); i++) {
            nvmlDevice_st d = devices.get(i);
            long ts = System.nanoTime();
            GpuProcessMerge merge = new GpuProcessMerge();
            int rcCompute = runningProcesses(d, false, merge);
            int rcGraphics = runningProcesses(d, true, merge);
            if (rcCompute == nvml.NVML_SUCCESS || rcGraphics == nvml.NVML_SUCCESS) {
                memoryOk++;
            } else if (memoryError == null) {
                memoryError = "running processes: " + error(rcCompute);
            }
            int rcUtil = processUtilization(d, lastProcessSampleUs[i], merge);
            if (rcUtil == nvml.NVML_SUCCESS || rcUtil == nvml.NVML_ERROR_NOT_FOUND) { // NOT_FOUND: no new samples
                utilOk++;
            } else if (utilError == null) {
                utilError = "process utilization: " + error(rcUtil);
            }
            lastProcessSampleUs[i] = merge.newestSampleUs(lastProcessSampleUs[i]);
            out.addAll(merge.samples(i, ts));
        }
        int n = devices.size();
        ProbeStatus memory = memoryOk > 0 ? ProbeStatus.available("per-process memory on " + memoryOk + " of " + n
                + " device(s)") : ProbeStatus.unavailable(memoryError == null ? "no device" : memoryError);
        ProbeStatus util = utilOk > 0 ? ProbeStatus.available("per-process utilization on " + utilOk + " of " + n
                + " device(s)") : ProbeStatus.unavailable(utilError == null ? "no device" : utilError);
        return new GpuProcessReadings(out, memory, util);
    }

    /** nvmlDeviceGet{Compute,Graphics}RunningProcesses_v3, growing the array when NVML says it is too small. */
    private static int runningProcesses(nvmlDevice_st d, boolean graphics, GpuProcessMerge merge) {
        int capacity = 32;
        for (int attempt = 0; attempt < 3; attempt++) {
            int[] count = {capacity};
            try (nvmlProcessInfo_v2_t infos = new nvmlProcessInfo_v2_t(capacity)) {
                int rc = graphics ? nvml.nvmlDeviceGetGraphicsRunningProcesses_v3(d, count, infos)
                        : nvml.nvmlDeviceGetComputeRunningProcesses_v3(d, count, infos);
                if (rc == nvml.NVML_ERROR_INSUFFICIENT_SIZE) {
                    capacity = Math.max(capacity * 2, count[0] + 8); // processes may start meanwhile
                    continue;
                }
                if (rc == nvml.NVML_SUCCESS) {
                    for (int p = 0; p < count[0]; p++) {
                        nvmlProcessInfo_v2_t info = infos.getPointer(p);
                        long pid = Integer.toUnsignedLong(info.pid());
                        if (graphics) {
                            merge.graphics(pid, info.usedGpuMemory());
                        } else {
                            merge.compute(pid, info.usedGpuMemory());
                        }
                    }
                }
                return rc;
            }
        }
        return nvml.NVML_ERROR_INSUFFICIENT_SIZE;
    }

    /** nvmlDeviceGetProcessUtilization: first asks how many samples there are, then reads them. */
    private static int processUtilization(nvmlDevice_st d, long sinceUs, GpuProcessMerge merge) {
        int[] count = {0};
        int rc = nvml.nvmlDeviceGetProcessUtilization(d, null, count, sinceUs);
        if (rc != nvml.NVML_ERROR_INSUFFICIENT_SIZE && rc != nvml.NVML_SUCCESS) {
            return rc;
        }
        if (count[0] <= 0) {
            return nvml.NVML_ERROR_NOT_FOUND;
        }
        count[0] += 8;
        try (nvmlProcessUtilizationSample_t samples = new nvmlProcessUtilizationSample_t(count[0])) {
            rc = nvml.nvmlDeviceGetProcessUtilization(d, samples, count, sinceUs);
            if (rc == nvml.NVML_SUCCESS) {
                for (int s = 0; s < count[0]; s++) {
                    nvmlProcessUtilizationSample_t u = samples.getPointer(s);
                    merge.utilization(Integer.toUnsignedLong(u.pid()), u.timeStamp(), u.smUtil(), u.memUtil());
                }
            }
            return rc;
        }
    }

    @Override
    public void close() {
        try {
            nvml.nvmlShutdown();
        } catch (Throwable ignored) {
            // shutting down a probe must never fail its host
        }
    }

    private static String error(int rc) {
        try {
            return nvml.nvmlErrorString(rc).getString() + " (" + rc + ")";
        } catch (Throwable t) {
            return "NVML error " + rc;
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
