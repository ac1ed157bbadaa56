package dev.throughline.samples.jvmgpu;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class JvmGpuSampleTest {
    private static boolean driverPresent() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void withoutADriverItSaysSoInOneLineAndExits2() {
        assumeFalse(driverPresent(), "this machine has a driver: the sample would really run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JvmGpuSample.run(new String[] {"--iterations", "2", "--size", "64"},
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(JvmGpuSample.EXIT_NO_GPU, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals("no CUDA driver: libcuda.so.1 not found (is the NVIDIA driver installed?)\n", text);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        // and again, in the same JVM (the failed class stays failed): the same line, no stack trace
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(JvmGpuSample.EXIT_NO_GPU, JvmGpuSample.run(new String[0], new PrintStream(out, true),
                new PrintStream(again, true)));
        assertTrue(again.toString(StandardCharsets.UTF_8).startsWith("no CUDA driver: "), again.toString());
    }

    @Test
    void flagsAreParsedAndBadOnesRefused() {
        SampleOptions o = SampleOptions.parse(new String[] {"--iterations", "7", "--size", "1024", "--warmup", "0",
            "--busy-seconds", "2.5", "--report", "/tmp/r.properties"});
        assertEquals(7, o.iterations);
        assertEquals(1024, o.size);
        assertEquals(0, o.warmup);
        assertEquals(2.5, o.busySeconds);
        assertEquals(Path.of("/tmp/r.properties"), o.report);
        assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(new String[] {"--size", "0"}));
        assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(new String[] {"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(new String[] {"--size"}));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(JvmGpuSample.EXIT_USAGE, JvmGpuSample.run(new String[] {"--size", "x"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)));
    }
}
