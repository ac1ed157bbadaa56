package dev.throughline.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The agents' allocation-free SLICE path writes exactly the bytes of the frame object it stands for. */
class FrameWriterSliceTest {
    @Test
    void writeSliceIsByteForByteTheSliceFrame() throws Exception {
        List<SliceFrame.Arg> none = List.of();
        List<SliceFrame.Arg> one = List.of(SliceFrame.Arg.ofLong(7, 41));
        List<SliceFrame.Arg> two = List.of(SliceFrame.Arg.ofLong(7, -41), SliceFrame.Arg.ofLong(9, Long.MAX_VALUE));
        assertArrayEquals(bytes(new SliceFrame(2, 12, 1_000, 250, 3, -1, none)), fast(2, 12, 1_000, 250, 3, -1, 0, 0, 0, 0, 0));
        assertArrayEquals(bytes(new SliceFrame(3, 1L << 40, 5, 0, 4, 99, one)), fast(3, 1L << 40, 5, 0, 4, 99, 1, 7, 41, 0, 0));
        assertArrayEquals(bytes(new SliceFrame(255, 1, 2, 3, 4, -1, two)),
                fast(255, 1, 2, 3, 4, -1, 2, 7, -41, 9, Long.MAX_VALUE));
    }

    @Test
    void decodesToTheSameFrame() throws Exception {
        byte[] b = fast(3, 8, 100, 20, 5, -1, 2, 6, 1234, 7, 8);
        Frame f = new FrameReader(new java.io.ByteArrayInputStream(b)).next();
        assertEquals(new SliceFrame(3, 8, 100, 20, 5, -1,
                List.of(SliceFrame.Arg.ofLong(6, 1234), SliceFrame.Arg.ofLong(7, 8))), f);
    }

    @Test
    void refusesWhatTheFrameWouldRefuse() {
        FrameWriter w = new FrameWriter(new ByteArrayOutputStream());
        assertThrows(IllegalArgumentException.class, () -> w.writeSlice(256, 1, 1, 1, 1, -1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> w.writeSlice(1, 1, 1, 1, 1, -1, 3, 0, 0, 0, 0));
    }

    private static byte[] bytes(SliceFrame f) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).write(f);
        return out.toByteArray();
    }

    private static byte[] fast(int category, long tid, long start, long dur, int name, long corr, int n, int k1, long v1,
                               int k2, long v2) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.writeSlice(category, tid, start, dur, name, corr, n, k1, v1, k2, v2);
        assertEquals(1, w.framesWritten());
        assertEquals(out.size(), w.bytesWritten());
        return out.toByteArray();
    }
}
