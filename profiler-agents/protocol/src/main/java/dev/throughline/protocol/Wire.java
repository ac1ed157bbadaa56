package dev.throughline.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Shared primitives: u16-length strings and exact reads. */
final class Wire {
    static final int MAX_U16 = 0xFFFF;

    private Wire() {
    }

    /** UTF-8 bytes of {@code s}, cut at a character boundary to at most 65535 bytes. */
    static byte[] u16Bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_U16) {
            return b;
        }
        int end = MAX_U16;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--; // do not split a multi-byte character
        }
        byte[] cut = new byte[end];
        System.arraycopy(b, 0, cut, 0, end);
        return cut;
    }

    static void putU16String(ByteBuffer buf, byte[] utf8) {
        buf.putShort((short) utf8.length);
        buf.put(utf8);
    }

    /** Reads exactly {@code n} bytes; EOF before that is an {@link EOFException}. */
    static void readFully(InputStream in, byte[] dst, int off, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int r = in.read(dst, off + done, n - done);
            if (r < 0) {
                throw new EOFException("end of stream after " + done + " of " + n + " bytes");
            }
            done += r;
        }
    }

    static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
