package dev.throughline.gpu.cupti;

import dev.throughline.gpu.ProbeStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Without a driver (here, CI) the tracer must say why in one line and leave the JVM alone; with one,
 * it must start, trace nothing when nothing runs, and stop cleanly.
 */
class CuptiTracerTest {
    private static boolean driverPresent() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void saysUnavailableOnceWithAReasonWhenThereIsNoDriver() {
        List<String> dropped = new ArrayList<>();
        GpuActivitySink sink = new GpuActivitySink() {
            @Override
            public void activity(GpuActivity a) {
            }

            @Override
            public void dropped(String kind, long count) {
                dropped.add(kind + " " + count);
            }
        };
        CuptiTracer.Started started = CuptiTracer.start(sink);
        ProbeStatus status = started.status;
        if (!driverPresent()) {
            assertFalse(status.isAvailable(), status.toString());
            assertNull(started.tracer);
            assertEquals("unavailable: no NVIDIA driver (libcuda.so.1 not found)", status.toString());
            assertEquals(status.toString(), CuptiTracer.start(sink).status.toString(), "the same answer, no throw");
        } else {
            assertTrue(status.isAvailable(), status.toString());
            started.tracer.close();
            assertEquals(0, started.tracer.stats().undecodableBuffers);
        }
        assertTrue(dropped.isEmpty(), dropped.toString());
    }

    /**
     * Past the driver check: the toolkit's CUPTI and the preset's JNI library loaded by hand in a JVM of
     * their own (CuptiTracerToolkitProbe), so start() really calls cuptiGetVersion, cuptiGetTimestamp,
     * cuptiActivityRegisterCallbacks (with the two FunctionPointers) and cuptiActivityEnable; without a
     * driver CUPTI refuses the kinds, and the tracer must say so in one line with CUPTI's own words.
     */
    @Test
    void theRealCuptiCallsRunAndTheirRefusalIsOneLine() throws Exception {
        assumeFalse(driverPresent(), "with a driver the tracer would start: GpuCheck covers that");
        Path libcupti = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "lib64", "libcupti.so.13");
        assumeTrue(Files.exists(libcupti), "no CUDA toolkit CUPTI at " + libcupti);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.loadlibraries=false", "-cp", cp,
                CuptiTracerToolkitProbe.class.getName(), libcupti.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = Arrays.asList(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .split("\n"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), lines.toString());
        String[] clock = lines.get(0).split(" ");
        long offset = Long.parseLong(clock[1]);
        long uncertainty = Long.parseLong(clock[2]);
        long expected = Long.parseLong(clock[3]);
        assertTrue(uncertainty < 1_000_000, "a bracket under 1 ms: " + uncertainty);
        // currentTimeMillis has ms resolution and was read a moment later: agree within 50 ms
        assertTrue(Math.abs(offset - expected) < 50_000_000, "CUPTI's clock is the epoch here: " + lines.get(0));
        // here: "… every activity kind: CUPTI_ERROR_UNKNOWN (999)", one reason said once, in CUPTI's words
        assertTrue(lines.get(1).matches("status unavailable: CUPTI refused every activity kind: CUPTI_ERROR_\\w+ \\(\\d+\\)"),
                lines.toString());
        assertEquals(2, lines.size(), lines.toString());
    }
}
