package dev.throughline.gpu.cupti;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The decoder's offsets and sizes against what the compilers said: cupti_layout.c over CUDA 13.0's
 * headers (130001/layout.txt) and JavaCPP's 13.1 preset (130101/layout.txt), line for line.
 */
class CuptiLayoutTest {
    @Test
    void everyOffsetAndSizeMatchesTheHeadersOfEachVerifiedVersion() {
        for (int v : CuptiFixtures.VERSIONS) {
            List<String> expected = new ArrayList<>(CuptiFixtures.lines(v, "layout.txt"));
            List<String> ours = new ArrayList<>(CuptiFixtures.layout(v).describe());
            Collections.sort(expected);
            Collections.sort(ours);
            assertEquals(expected, ours, "CUPTI " + v);
        }
    }

    @Test
    void layoutIsChosenByTheRunningCuptiVersion() {
        assertNull(CuptiLayout.forApiVersion(120900), "12.x records have other struct versions");
        assertEquals(CuptiLayout.CUPTI_13_0, CuptiLayout.forApiVersion(130001).apiVersion());
        assertEquals(CuptiLayout.CUPTI_13_1, CuptiLayout.forApiVersion(130101).apiVersion());
        assertEquals(CuptiLayout.CUPTI_13_1, CuptiLayout.forApiVersion(130200).apiVersion());
        assertEquals(216, CuptiLayout.cuda13_0().recordSize(CuptiLayout.KIND_CONCURRENT_KERNEL));
        assertEquals(224, CuptiLayout.cuda13_1().recordSize(CuptiLayout.KIND_KERNEL));
        assertEquals(-1, CuptiLayout.cuda13_1().recordSize(99));
        assertEquals(-1, CuptiLayout.cuda13_1().recordSize(0));
    }

    /**
     * Regenerates the 13.1 table and fixture from the JavaCPP preset for real, where the toolkit's
     * libcupti.so.13 is at hand (no driver needed), and compares with what is committed.
     */
    @Test
    void javacppPresetStillAgreesWithTheCommitted131Table() throws Exception {
        Path libcupti = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "lib64", "libcupti.so.13");
        assumeTrue(Files.exists(libcupti), "no CUDA toolkit CUPTI at " + libcupti);
        Path out = Files.createTempDirectory("cupti131");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.loadlibraries=false", "-cp", cp,
                JavaCppCuptiLayoutProbe.class.getName(), libcupti.toString(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertSame(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        List<String> live = Arrays.asList(new String(stdout, StandardCharsets.UTF_8).split("\n"));
        assertEquals(CuptiFixtures.lines(CuptiLayout.CUPTI_13_1, "layout.txt"), live);
        assertArrayEquals(CuptiFixtures.bytes(CuptiLayout.CUPTI_13_1, "activities.bin"),
                Files.readAllBytes(out.resolve("activities.bin")));
        for (File f : out.toFile().listFiles()) {
            f.delete();
        }
        Files.delete(out);
    }
}
