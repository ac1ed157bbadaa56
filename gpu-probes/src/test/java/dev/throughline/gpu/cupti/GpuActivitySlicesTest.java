package dev.throughline.gpu.cupti;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GpuActivitySlicesTest {
    private static List<GpuSlice> slices() {
        Map<Long, String> names = new HashMap<>();
        names.put(JavaCppCuptiLayoutProbe.NAME_ADDRESS, "ampere_sgemm_128x64_nn");
        List<GpuSlice> out = new ArrayList<>();
        GpuActivitySlices mapper = new GpuActivitySlices();
        new ActivityBufferDecoder(CuptiLayout.cuda13_0(), names::get, 0)
                .decode(ByteBuffer.wrap(CuptiFixtures.bytes(CuptiLayout.CUPTI_13_0, "activities.bin")),
                        a -> out.add(mapper.toSlice(a)));
        return out;
    }

    @Test
    void gpuWorkCarriesDeviceAndStreamSoItLandsOnAStreamTrack() {
        GpuSlice k = slices().get(0);
        assertEquals(GpuActivitySlices.CATEGORY_KERNEL, k.category);
        assertEquals("ampere_sgemm_128x64_nn", k.name);
        assertEquals(1700000000000001000L, k.startNs);
        assertEquals(2_500_000L, k.durNs);
        assertEquals(41L, k.correlation);
        assertEquals(0L, k.args.get("device"));
        assertEquals(7L, k.args.get("stream"));
        assertEquals("32,16,1", k.args.get("grid"));
        assertEquals("256,1,1", k.args.get("block"));
        assertEquals(16384L, k.args.get("shared memory"));
        assertEquals(122L, k.args.get("registers per thread"));
    }

    @Test
    void copiesSayTheirDirectionAndMemoryKinds() {
        GpuSlice m = slices().get(1);
        assertEquals(GpuActivitySlices.CATEGORY_MEMCPY, m.category);
        assertEquals("Memcpy HtoD (Pageable -> Device)", m.name);
        assertEquals(67108864L, m.args.get("bytes"));
        assertEquals("HtoD", m.args.get("copy kind"));
        assertEquals("pageable", m.args.get("src kind"));
        GpuSlice s = slices().get(2);
        assertEquals(GpuActivitySlices.CATEGORY_MEMSET, s.category);
        assertEquals("Memset (Device)", s.name);
        assertEquals(13L, s.args.get("stream"));
    }

    @Test
    void apiCallsGoToTheirThreadAndSyncsFollowTheirCall() {
        List<GpuSlice> all = slices();
        GpuSlice sync = all.get(3);
        assertEquals(GpuActivitySlices.CATEGORY_SYNC, sync.category);
        assertEquals("Sync: stream synchronize", sync.name);
        assertEquals(0L, sync.tid, "its call (correlation 44) was not seen");
        GpuSlice runtime = all.get(4);
        assertEquals(GpuActivitySlices.CATEGORY_CUDA_API, runtime.category);
        assertEquals("cudaMemcpyAsync", runtime.name);
        assertEquals(4250L, runtime.tid);
        assertEquals("cuLaunchKernel", all.get(5).name);

        GpuActivitySlices mapper = new GpuActivitySlices();
        mapper.toSlice(new ApiActivity(false, 10, 90, 77, 131, "cudaStreamSynchronize", 1, 555, 0));
        GpuSlice followed = mapper.toSlice(new SyncActivity(20, 80, 77, 3, 1, -1));
        assertEquals(555L, followed.tid);
        assertEquals(null, followed.args.get("stream"), "a context-wide sync has no stream");
    }
}
