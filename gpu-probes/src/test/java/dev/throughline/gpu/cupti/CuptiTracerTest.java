package dev.throughline.gpu.cupti;

import dev.throughline.gpu.ProbeStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
