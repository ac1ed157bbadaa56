package dev.throughline.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameReaderTest {
    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(new ByteArrayInputStream(bytes));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    @Test
    void emptyStreamIsACleanEnd() throws Exception {
        assertNull(reader(new byte[0]).next());
    }

    @Test
    void unknownTypeIsSkippedAndReported() throws Exception {
        byte[] unknown = {0, 0, 0, 4, 42, 9, 9, 9};
        byte[] bytes = concat(unknown, FrameWriter.encode(new LossFrame(3, 7)));
        FrameReader r = reader(bytes);
        assertEquals(new UnknownFrame(42, 3), r.next());
        assertEquals(new LossFrame(3, 7), r.next());
        assertNull(r.next());
        assertEquals(bytes.length, r.offset());
    }

    @Test
    void oversizedFrameIsRefusedBeforeReadingIt() {
        byte[] huge = {0x7F, 0, 0, 0, 3};
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader(huge).next());
        assertTrue(e.getMessage().contains("exceeds the limit of 16777216 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("frame 1 at byte 0"), e.getMessage());
    }

    @Test
    void streamEndingInsideAFrameIsTruncated() throws Exception {
        byte[] whole = FrameWriter.encode(new CounterFrame(1, 2, 3.0));
        byte[] bytes = concat(FrameWriter.encode(ByeFrame.INSTANCE), Arrays.copyOf(whole, whole.length - 3));
        FrameReader r = reader(bytes);
        assertEquals(ByeFrame.INSTANCE, r.next());
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, r::next);
        assertTrue(e.getMessage().startsWith("frame 2 at byte 5: stream ended inside the frame"), e.getMessage());
        assertThrows(TruncatedFrameException.class, () -> reader(new byte[] {0, 0}).next());
    }

    @Test
    void payloadThatDoesNotMatchItsTypeIsAnError() {
        byte[] shortThread = {0, 0, 0, 5, 2, 0, 0, 0, 1};
        assertTrue(assertThrows(ProtocolException.class, () -> reader(shortThread).next()).getMessage()
                .contains("THREAD payload of 4 bytes is too short"));
        byte[] longBye = {0, 0, 0, 2, 7, 0};
        assertTrue(assertThrows(ProtocolException.class, () -> reader(longBye).next()).getMessage()
                .contains("1 bytes after its last field"));
        byte[] zero = {0, 0, 0, 0, 1};
        assertTrue(assertThrows(ProtocolException.class, () -> reader(zero).next()).getMessage().contains("length 0"));
        byte[] slice = FrameWriter.encode(new SliceFrame(1, 1, 0, 1, 1, -1, List.of(SliceFrame.Arg.ofLong(2, 5))));
        slice[5 + 39 + 4] = 9; // the arg's tag
        assertTrue(assertThrows(ProtocolException.class, () -> reader(slice).next()).getMessage()
                .contains("unknown value tag 9"));
    }

    @Test
    void writerInternsEachStringOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        assertEquals(1, w.intern("step"));
        assertEquals(2, w.intern("data"));
        assertEquals(1, w.intern("step"));
        w.write(new SliceFrame(1, 5, 10, 20, 1));
        w.bye();
        FrameReader r = reader(out.toByteArray());
        assertEquals(new StringFrame(1, "step"), r.next());
        assertEquals(new StringFrame(2, "data"), r.next());
        assertEquals(new SliceFrame(1, 5, 10, 20, 1), r.next());
        assertEquals(ByeFrame.INSTANCE, r.next());
        assertNull(r.next());
        assertEquals(4, w.framesWritten());
    }

    @Test
    void encodeIntoABufferThatIsTooSmallWritesNothing() {
        ByteBuffer small = ByteBuffer.allocate(8);
        assertThrows(java.nio.BufferOverflowException.class, () -> FrameWriter.encode(new StringFrame(1, "long text"), small));
        assertEquals(0, small.position());
    }

    @Test
    void handshakeErrors() throws Exception {
        Handshake h = new Handshake("tok", 1, 0, "jvm", "svc", "");
        assertEquals(h, Handshake.read(new ByteArrayInputStream(h.encode())));
        byte[] bad = h.encode();
        bad[0] = 'G';
        assertTrue(assertThrows(ProtocolException.class, () -> Handshake.read(new ByteArrayInputStream(bad)))
                .getMessage().contains("expected magic TLP1"));
        byte[] v2 = new Handshake(2, "tok", 1, 0, "jvm", "svc", "").encode();
        assertEquals(2, assertThrows(UnsupportedVersionException.class,
                () -> Handshake.read(new ByteArrayInputStream(v2))).version());
        byte[] cut = Arrays.copyOf(h.encode(), 9);
        assertTrue(assertThrows(ProtocolException.class, () -> Handshake.read(new ByteArrayInputStream(cut)))
                .getMessage().contains("connection closed at byte 8 while reading token"));
        assertInstanceOf(String.class, h.toString());
        assertTrue(!h.toString().contains("tok,"), "toString never shows the token");
    }
}
