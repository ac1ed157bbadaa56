package dev.throughline.gpu;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The no-GPU path, for real: this machine (and CI) has the CUDA toolkit but no driver, so loading
 * the NVML bindings fails inside JavaCPP. The probe must say why, once, and the JVM must go on.
 * On a machine with a driver the same test checks that devices are found and read.
 */
class NvmlSamplerTest {
    private static boolean driverPresent() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void reportsUnavailableWithAReasonOrSamplesRealDevices() {
        NvmlSampler.Opened opened = NvmlSampler.open();
        assertNotNull(opened.status.detail());
        if (!driverPresent()) {
            assertFalse(opened.status.isAvailable(), opened.status.toString());
            assertNull(opened.sampler);
            String text = opened.status.toString();
            assertTrue(text.startsWith("unavailable: "), text);
            assertFalse(text.contains("\n"), "one line: " + text);
            assertFalse(text.contains("\tat "), "no stack trace: " + text);
            // a second try says the same thing and still does not throw
            assertEquals(text, NvmlSampler.open().status.toString());
        } else {
            assertTrue(opened.status.isAvailable(), opened.status.toString());
            try (NvmlSampler s = opened.sampler) {
                assertTrue(s.deviceCount() > 0);
                GpuSample first = s.sample().get(0);
                assertTrue(first.memoryTotalBytes > 0, "memory total read from the device");
            }
        }
    }

    @Test
    void failuresBecomeOneActionableLine() {
        String r = ProbeFailures.reason(new UnsatisfiedLinkError(
                "/root/.javacpp/cache/x/libjnicudart.so: libcuda.so.1: cannot open shared object file\n\tat x"));
        assertEquals("no NVIDIA driver (libcuda.so.1 not found)", r);
        String other = ProbeFailures.reason(new IllegalStateException("first line\nsecond line"));
        assertEquals("IllegalStateException: first line", other);
    }
}
