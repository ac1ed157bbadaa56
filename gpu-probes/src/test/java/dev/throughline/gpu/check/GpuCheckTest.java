package dev.throughline.gpu.check;

import dev.throughline.gpu.cupti.ApiActivity;
import dev.throughline.gpu.cupti.GpuActivity;
import dev.throughline.gpu.cupti.KernelActivity;
import dev.throughline.gpu.cupti.MemcpyActivity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class GpuCheckTest {
    /** Stands in for the sample; must not run where there is no GPU. */
    public static final class NeverRun {
        public static int run(String[] args, PrintStream out, PrintStream err) {
            throw new AssertionError("the workload ran without a GPU");
        }
    }

    private static KernelActivity kernel(long start, long dur) {
        return new KernelActivity(start, start + dur, 1, "sgemm", 0, 1, 7, 1, 1, 1, 1, 1, 1, 1, 0, 0);
    }

    private static MemcpyActivity copy(long start, int kind, int src, int dst) {
        return new MemcpyActivity(start, start + 10, 1, kind, src, dst, 64, 0, 1, 7);
    }

    @Test
    void countsOnlyWhatStartsInsideTheWindowAndComparesWithTheEvents() {
        List<GpuActivity> a = new ArrayList<>();
        a.add(kernel(50, 1_000_000)); // warm-up, before the window
        for (int i = 0; i < 4; i++) {
            long t = 1_000 + i * 10_000_000L;
            a.add(copy(t, 1, 2, 3));
            a.add(copy(t + 1, 1, 2, 3));
            a.add(copy(t + 2, 1, 1, 3));
            a.add(kernel(t + 100, 2_000_000));
            a.add(copy(t + 3_000_000, 2, 3, 2));
            a.add(new ApiActivity(false, t, t + 5, 1, 211, "cudaLaunchKernel", 1, 2, 0));
        }
        TraceVsEvents t = TraceVsEvents.of(a, 1_000, 40_000_000);
        assertEquals(4, t.kernels);
        assertEquals(8_000_000, t.kernelNs);
        assertEquals(1, t.kernelsPerIteration(4));
        assertEquals(-1, t.kernelsPerIteration(3));
        assertEquals(8, t.pinnedHtoD);
        assertEquals(4, t.pageableHtoD);
        assertEquals(4, t.pinnedDtoH);
        assertEquals(-0.01, t.kernelTimeError(8.0808080808), 1e-6);
    }

    @Test
    void withoutAGpuItPrintsTheTableAndExits2WithoutRunningTheWorkload() throws Exception {
        assumeFalse(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1")), "a driver is here");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path table = Files.createTempFile("gpucheck", ".md");
        int code = GpuCheck.run(new String[] {"--workload", NeverRun.class.getName(), "--table", table.toString()},
                new PrintStream(out, true, "UTF-8"));
        assertEquals(2, code);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("| NVML | FAIL | unavailable: no NVIDIA driver (libcuda.so.1 not found) | available |"),
                text);
        assertTrue(text.contains("| CUPTI | FAIL | unavailable: no NVIDIA driver (libcuda.so.1 not found) | available |"),
                text);
        assertEquals(text, Files.readString(table));
        Files.delete(table);
    }
}
