package dev.throughline.app.analysis;

import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.GpuIdleRow;
import dev.throughline.storage.model.NameTotal;
import dev.throughline.storage.model.TrackInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * samples/h100-cnn-train.tlcap: samples/pytorch-train on an H100 (torch 2.11, CUDA 13), recorded by our own
 * {@code record --torch-profiler} (bench/RESULTS.md, "GPU machine"). The expected figures are torch's own, from
 * {@code key_averages()} over the same chunks in the same run, not from this capture; the shape checks guard the
 * three defects that run found (GPU annotations taken for kernels, negative gaps, the lost last chunk).
 */
class H100CaptureTest {
    static final Path SAMPLE = Path.of("..", "samples", "h100-cnn-train.tlcap").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static CaptureReader reader;

    @BeforeAll
    static void open() throws Exception {
        Path copy = dir.resolve("h100.tlcap"); // opened from a copy: the sample is never touched
        Files.copy(SAMPLE, copy);
        reader = CaptureReader.open(copy);
    }

    @AfterAll
    static void close() {
        reader.close();
    }

    @Test
    void kernelTotalsEqualTorchsOwnKeyAverages() throws Exception {
        Map<String, NameTotal> kernels = new HashMap<>();
        for (NameTotal t : reader.topNames(Category.KERNEL, 1000)) {
            kernels.put(t.name(), t);
        }
        // torch 2.11 key_averages() of the same chunks: self device time 1178.404 µs over 40 calls, 1066.597 µs over 40
        NameTotal wgrad = kernels.get("void wgrad_alg0_engine<float, 128, 5, 5, 3, 3, 3, false, 512>(int, int, int, "
                + "float const*, int, float*, float const*, kernel_grad_params, unsigned long long, int, float, int, int, int, int)");
        assertEquals(40, wgrad.count());
        assertEquals(1_178_404, wgrad.totalNs());
        NameTotal gemm = kernels.get("sm80_xmma_wgrad_implicit_gemm_indexed_wo_smem_tf32f32_tf32f32_f32_nhwckrsc_nhwc_"
                + "tilesize16x64x64_stage1_warpsize1x4x1_g1_tensor16x8x8_aligna8_alignc8_execute_kernel__5x_cudnn");
        assertEquals(40, gemm.count());
        assertEquals(1_066_597, gemm.totalNs());
        assertEquals(1_718, reader.categoryCounts().get(Category.KERNEL), "kernels, annotations not among them");
        assertEquals(39, reader.steps().size(), "every step after the first mark: the last chunk was kept");
    }

    @Test
    void gpuAnnotationsHaveTheirOwnTrackAndNoGapIsNegative() throws Exception {
        List<TrackInfo> tracks = reader.tracks();
        Set<Integer> annotationTracks = tracks.stream().filter(t -> "gpu_annotation".equals(t.kind()))
                .map(TrackInfo::id).collect(Collectors.toSet());
        Set<Integer> streamTracks = tracks.stream().filter(t -> "gpu_stream".equals(t.kind()))
                .map(TrackInfo::id).collect(Collectors.toSet());
        assertEquals(1, annotationTracks.size());
        int[] onAnnotation = {0};
        int[] misplaced = {0};
        reader.forEachSlice(s -> {
            if (annotationTracks.contains(s.trackId())) {
                onAnnotation[0]++;
                if (s.category() != Category.USER) {
                    misplaced[0]++;
                }
            } else if (streamTracks.contains(s.trackId()) != s.category().isGpuActivity()) {
                misplaced[0]++; // GPU work off a stream, or anything else on one
            }
        });
        assertEquals(40, onAnnotation[0], "one Optimizer.step#SGD.step range per step");
        assertEquals(0, misplaced[0]);
        for (GpuIdleRow row : reader.gpuIdle()) {
            assertTrue(row.hostWaitNs() >= 0 && row.kernelWaitNs() >= 0 && row.otherNs() >= 0, row.toString());
        }
    }

    @Test
    void findingsAreWhatATinyCnnOnAnH100Shows() throws Exception {
        Set<String> rules = Report.of(reader).findings().stream().map(Finding::rule).collect(Collectors.toSet());
        assertEquals(Set.of("gpu_idle", "host_overhead", "launch_bound", "input_bound"), rules);
    }
}
