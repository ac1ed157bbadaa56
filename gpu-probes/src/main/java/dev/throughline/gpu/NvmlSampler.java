package dev.throughline.gpu;

import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
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

    private NvmlSampler(List<nvmlDevice_st> devices) {
        this.devices = devices;
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
