package dev.throughline.samples.jvmgpu;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JVM workload doing real CUDA work through the JavaCPP presets, for profiling Throughline's GPU
 * probes against: cuBLAS SGEMM in a loop with pinned copies and one pageable copy per iteration
 * ({@link SgemmWorkload}), or with {@code --busy-seconds} back-to-back SGEMMs only (a GPU kept busy, for
 * utilization counters). Without a driver it says so in one line and exits 2.
 *
 * <p>{@link #run} is the entry for callers in the same JVM (GpuCheck traces it with CUPTI), so it
 * returns an exit code and never calls System.exit.
 */
public final class JvmGpuSample {
    public static final int EXIT_OK = 0;
    public static final int EXIT_NO_GPU = 2;
    public static final int EXIT_USAGE = 64;
    public static final int EXIT_CUDA_ERROR = 70;

    private JvmGpuSample() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        SampleOptions o;
        try {
            o = SampleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return EXIT_USAGE;
        }
        String missing = loadCuda();
        if (missing != null) {
            err.println(missing);
            return EXIT_NO_GPU;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        try {
            int[] devices = new int[1];
            int rc = cudart.cudaGetDeviceCount(devices);
            if (rc != cudart.cudaSuccess || devices[0] == 0) {
                err.println("no CUDA device: " + (rc != cudart.cudaSuccess
                        ? cudart.cudaGetErrorString(rc).getString() + " (" + rc + ")" : "the driver sees none"));
                return EXIT_NO_GPU;
            }
            report.put("size", o.size);
            try (SgemmWorkload w = new SgemmWorkload(o.size)) {
                if (o.busySeconds > 0) {
                    busy(w, o, report, out);
                } else {
                    timed(w, o, report, out);
                }
            }
        } catch (CudaFailure e) {
            err.println("CUDA error: " + e.getMessage());
            return EXIT_CUDA_ERROR;
        }
        if (o.report != null) {
            try {
                writeReport(o, report);
            } catch (IOException e) {
                err.println("cannot write " + o.report + ": " + e.getMessage());
                return EXIT_CUDA_ERROR;
            }
        }
        return EXIT_OK;
    }

    /**
     * Loads cudart and cuBLAS; null when loaded, else the one line to print. Every preset loads the
     * cudart bindings first, which need the driver's libcuda.so.1.
     */
    static String loadCuda() {
        try {
            Loader.load(cudart.class);
        } catch (Throwable t) {
            return "no CUDA driver: " + firstLine(t);
        }
        try {
            Loader.load(cublas.class);
        } catch (Throwable t) {
            return "no cuBLAS (libcublas.so.13 on LD_LIBRARY_PATH?): " + firstLine(t);
        }
        return null;
    }

    static String firstLine(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(' ').append(c.getMessage());
        }
        if (all.indexOf("libcuda.so") >= 0) {
            return "libcuda.so.1 not found (is the NVIDIA driver installed?)";
        }
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl >= 0 ? m.substring(0, nl) : m);
    }

    private static void timed(SgemmWorkload w, SampleOptions o, Map<String, Object> report, PrintStream out) {
        for (int i = 0; i < o.warmup; i++) {
            w.iteration();
        }
        cudaSync();
        // everything launched between these two host times is the timed part (CUPTI's clock is moved onto this one)
        long start = System.nanoTime();
        double eventMs = 0;
        for (int i = 0; i < o.iterations; i++) {
            eventMs += w.iteration();
        }
        cudaSync();
        long end = System.nanoTime();
        double flops = 2.0 * o.size * (double) o.size * o.size * o.iterations;
        report.put("iterations", o.iterations);
        report.put("sgemm_event_ms_total", eventMs);
        report.put("sgemm_event_ms_mean", eventMs / o.iterations);
        report.put("window_start_ns", start);
        report.put("window_end_ns", end);
        report.put("sgemm_tflops", flops / (eventMs / 1e3) / 1e12);
        report.put("check", w.check());
        out.printf("jvm-gpu: %d iterations of SGEMM %dx%d: %.3f ms each by CUDA events (%.1f TFLOP/s), "
                + "wall %.1f ms; result %s%n", o.iterations, o.size, o.size, eventMs / o.iterations,
                flops / (eventMs / 1e3) / 1e12, (end - start) / 1e6, w.check());
    }

    private static void busy(SgemmWorkload w, SampleOptions o, Map<String, Object> report, PrintStream out) {
        w.iteration(); // A and B on the device (not garbage), cuBLAS warmed up
        long start = System.nanoTime();
        long until = start + (long) (o.busySeconds * 1e9);
        long sgemms = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 8; i++) { // a few queued ahead keep the GPU fed while the host checks the time
                w.sgemm();
            }
            sgemms += 8;
            w.synchronize();
        }
        long end = System.nanoTime();
        report.put("busy_sgemms", sgemms);
        report.put("busy_start_ns", start);
        report.put("busy_end_ns", end);
        out.printf("jvm-gpu: busy for %.1f s: %d SGEMMs %dx%d%n", (end - start) / 1e9, sgemms, o.size, o.size);
    }

    private static void cudaSync() {
        CudaFailure.cuda("cudaDeviceSynchronize", cudart.cudaDeviceSynchronize());
    }

    private static void writeReport(SampleOptions o, Map<String, Object> report) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : report.entrySet()) {
            b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        Files.write(o.report, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
