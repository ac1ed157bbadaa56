package dev.throughline.gpu.cupti;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads back, exactly, buffers of records that C (13.0 headers) and JavaCPP (13.1 preset) filled. */
class ActivityBufferDecoderTest {
    private static List<String> expected(int v) {
        List<String> lines = CuptiFixtures.lines(v, "activities.expected.txt");
        return lines.subList(1, lines.size()); // line 0 says where the kernel name "is"
    }

    private static NameResolver names(int v) {
        String[] first = CuptiFixtures.lines(v, "activities.expected.txt").get(0).split(" ");
        Map<Long, String> map = new HashMap<>();
        map.put(Long.parseLong(first[1]), first[2]);
        return map::get;
    }

    private static List<String> decode(CuptiLayout layout, NameResolver names, ByteBuffer b, long offset,
                                       ActivityBufferDecoder.Result[] result) {
        List<String> out = new ArrayList<>();
        result[0] = new ActivityBufferDecoder(layout, names, offset).decode(b, a -> out.add(a.toString()));
        return out;
    }

    @Test
    void decodesEveryFieldOfRealRecordsOfEachVersion() {
        for (int v : CuptiFixtures.VERSIONS) {
            ActivityBufferDecoder.Result[] r = new ActivityBufferDecoder.Result[1];
            List<String> got = decode(CuptiFixtures.layout(v), names(v),
                    ByteBuffer.wrap(CuptiFixtures.bytes(v, "activities.bin")), 0, r);
            assertEquals(expected(v), got, "CUPTI " + v);
            assertEquals(6, r[0].decoded);
            assertEquals(1, r[0].skipped, "the overhead record is stepped over by its size");
            assertTrue(r[0].complete(), r[0].toString());
        }
    }

    @Test
    void theWrongVersionsLayoutDoesNotSilentlyDecode() {
        // a 13.1 buffer read as 13.0: the kernel record is 8 bytes longer, so the next "kind" is garbage
        ActivityBufferDecoder.Result[] r = new ActivityBufferDecoder.Result[1];
        List<String> got = decode(CuptiLayout.cuda13_0(), names(CuptiLayout.CUPTI_13_1),
                ByteBuffer.wrap(CuptiFixtures.bytes(CuptiLayout.CUPTI_13_1, "activities.bin")), 0, r);
        assertFalse(r[0].complete());
        assertEquals(1, got.size());
    }

    @Test
    void anUnknownKindStopsTheBufferWithTheRestCounted() {
        byte[] fixture = CuptiFixtures.bytes(CuptiLayout.CUPTI_13_0, "activities.bin");
        int kernel = CuptiLayout.cuda13_0().recordSize(CuptiLayout.KIND_CONCURRENT_KERNEL);
        ByteBuffer b = ByteBuffer.allocate(fixture.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(fixture, 0, kernel).putInt(99).putInt(0).putLong(0).put(fixture, kernel, fixture.length - kernel).flip();
        ActivityBufferDecoder.Result[] r = new ActivityBufferDecoder.Result[1];
        List<String> got = decode(CuptiLayout.cuda13_0(), names(CuptiLayout.CUPTI_13_0), b, 0, r);
        assertEquals(1, got.size());
        assertEquals(99, r[0].stoppedAtKind);
        assertEquals(fixture.length + 16 - kernel, r[0].bytesNotDecoded);
    }

    @Test
    void aTruncatedLastRecordIsNotReadPastTheValidSize() {
        byte[] fixture = CuptiFixtures.bytes(CuptiLayout.CUPTI_13_0, "activities.bin");
        ByteBuffer b = ByteBuffer.wrap(fixture, 0, fixture.length - 8);
        ActivityBufferDecoder.Result[] r = new ActivityBufferDecoder.Result[1];
        List<String> got = decode(CuptiLayout.cuda13_0(), names(CuptiLayout.CUPTI_13_0), b, 0, r);
        assertEquals(5, got.size());
        assertEquals(CuptiLayout.KIND_DRIVER, r[0].stoppedAtKind);
        assertEquals(32, r[0].bytesNotDecoded);
    }

    @Test
    void theClockOffsetMovesEveryTimestamp() {
        List<GpuActivity> got = new ArrayList<>();
        new ActivityBufferDecoder(CuptiLayout.cuda13_0(), names(CuptiLayout.CUPTI_13_0), -1_699_999_000_000_000_000L)
                .decode(ByteBuffer.wrap(CuptiFixtures.bytes(CuptiLayout.CUPTI_13_0, "activities.bin")), got::add);
        KernelActivity k = (KernelActivity) got.get(0);
        assertEquals(1_000_000_001_000L, k.startNs);
        assertEquals(2_500_000L, k.durationNs());
        assertEquals(12288 + 4096, k.sharedMemoryBytes());
        assertTrue(((MemcpyActivity) got.get(1)).involvesPageableMemory());
        assertEquals(GpuActivity.Type.DRIVER_API, got.get(5).type());
    }

    @Test
    void recordOffsetsAreWhereTheWalkFindsRecords() {
        int v = CuptiLayout.CUPTI_13_1;
        ActivityBufferDecoder d = new ActivityBufferDecoder(CuptiFixtures.layout(v), names(v), 0);
        assertArrayEquals(new int[] {0, 224, 320, 376, 464, 520, 560},
                d.recordOffsets(ByteBuffer.wrap(CuptiFixtures.bytes(v, "activities.bin"))));
    }

    /**
     * The tracer's native path without a GPU: the fixture copied into malloc'ed native memory (as CUPTI's
     * buffer would be), viewed through the pool, with a real C string as the kernel's name.
     */
    @Test
    void decodesFromNativeMemoryAndReadsTheNameThroughItsPointer() {
        int v = CuptiLayout.CUPTI_13_1;
        byte[] fixture = CuptiFixtures.bytes(v, "activities.bin");
        try (NativeActivityBuffers pool = new NativeActivityBuffers(4096, 2);
             BytePointer name = new BytePointer("volta_sgemm_128x64_nn")) {
            Pointer buf = pool.acquire();
            ByteBuffer bytes = ByteBuffer.wrap(fixture.clone()).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(CuptiLayout.KERNEL_NAME, name.address());
            new BytePointer(buf).capacity(fixture.length).put(bytes.array());
            List<GpuActivity> got = new ArrayList<>();
            ActivityBufferDecoder.Result r = new ActivityBufferDecoder(CuptiFixtures.layout(v), new NativeNames(), 0)
                    .decode(pool.view(buf.address(), fixture.length), got::add);
            assertEquals(6, r.decoded);
            assertEquals("volta_sgemm_128x64_nn", ((KernelActivity) got.get(0)).name);
            assertEquals(expected(v).subList(1, 6), got.subList(1, 6).stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.toList()));
            pool.release(buf.address());
            assertEquals(buf.address(), pool.acquire().address(), "a released buffer is reused");
            assertTrue(pool.acquire() != null);
            assertEquals(null, pool.acquire(), "the cap holds: no third buffer");
        }
    }
}
