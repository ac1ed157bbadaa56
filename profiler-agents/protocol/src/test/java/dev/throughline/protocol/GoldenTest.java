package dev.throughline.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The committed fixtures are the bytes PROTOCOL.md describes for golden.json, both ways. */
class GoldenTest {
    @Test
    void encodingGoldenJsonGivesTheFixtureBytes() throws Exception {
        Golden g = Golden.load();
        assertArrayEquals(Files.readAllBytes(Golden.DIR.resolve("handshake.bin")), g.handshake.encode());
        assertArrayEquals(Files.readAllBytes(Golden.DIR.resolve("frames.bin")), g.encodeFrames());
    }

    @Test
    void decodingTheFixturesGivesGoldenJson() throws Exception {
        Golden g = Golden.load();
        byte[] hs = Files.readAllBytes(Golden.DIR.resolve("handshake.bin"));
        assertEquals(g.handshake, Handshake.decode(hs));
        assertEquals("k7Qx-token-0123456789", Handshake.decode(hs).token());

        FrameReader r = new FrameReader(new ByteArrayInputStream(Files.readAllBytes(Golden.DIR.resolve("frames.bin"))));
        List<Frame> frames = new ArrayList<>();
        for (Frame f; (f = r.next()) != null; ) {
            frames.add(f);
        }
        assertEquals(g.frames, frames);
        assertNull(r.next());
    }

    @Test
    void fixtureBytesSpotChecks() throws Exception {
        byte[] hs = Files.readAllBytes(Golden.DIR.resolve("handshake.bin"));
        assertEquals('T', hs[0]);
        assertEquals('1', hs[3]);
        assertEquals(0, hs[4]);
        assertEquals(1, hs[5]); // version 1, big-endian u16
        byte[] frames = Files.readAllBytes(Golden.DIR.resolve("frames.bin"));
        // first frame: STRING id 1 "MainThread": length 1 + 4 + 10 = 15, type 1, id 1
        assertArrayEquals(new byte[] {0, 0, 0, 15, 1, 0, 0, 0, 1, 'M'}, java.util.Arrays.copyOf(frames, 10));
        // last frame: BYE
        assertArrayEquals(new byte[] {0, 0, 0, 1, 7}, java.util.Arrays.copyOfRange(frames, frames.length - 5, frames.length));
    }
}
