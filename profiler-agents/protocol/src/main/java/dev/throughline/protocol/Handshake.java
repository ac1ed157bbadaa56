package dev.throughline.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The first bytes an agent sends (PROTOCOL.md, "Handshake"): magic {@code TLP1}, version, token, process identity.
 * The collector answers one byte: {@link #REPLY_ACCEPTED}, {@link #REPLY_BAD_TOKEN} or {@link #REPLY_UNSUPPORTED_VERSION}.
 */
public final class Handshake {
    /** {@code TLP1}. */
    public static final byte[] MAGIC = {'T', 'L', 'P', '1'};
    public static final int VERSION = 1;
    public static final int REPLY_ACCEPTED = 0;
    public static final int REPLY_BAD_TOKEN = 1;
    public static final int REPLY_UNSUPPORTED_VERSION = 2;

    private final int version;
    private final String token;
    private final long pid;
    private final long ppid;
    private final String kind;
    private final String name;
    private final String cmdline;

    /**
     * @param pid  u32
     * @param ppid u32, 0 if unknown
     * @param kind {@code python} or {@code jvm}
     */
    public Handshake(int version, String token, long pid, long ppid, String kind, String name, String cmdline) {
        if (version < 0 || version > Wire.MAX_U16) {
            throw new IllegalArgumentException("version out of u16 range: " + version);
        }
        this.version = version;
        this.token = Objects.requireNonNull(token, "token");
        this.pid = checkU32(pid, "pid");
        this.ppid = checkU32(ppid, "ppid");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        this.cmdline = cmdline == null ? "" : cmdline;
    }

    /** A version-{@link #VERSION} handshake. */
    public Handshake(String token, long pid, long ppid, String kind, String name, String cmdline) {
        this(VERSION, token, pid, ppid, kind, name, cmdline);
    }

    private static long checkU32(long v, String what) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " out of u32 range: " + v);
        }
        return v;
    }

    public int version() {
        return version;
    }

    public String token() {
        return token;
    }

    public long pid() {
        return pid;
    }

    public long ppid() {
        return ppid;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public String cmdline() {
        return cmdline;
    }

    /** The handshake's bytes. Strings longer than 65535 UTF-8 bytes are cut at a character boundary. */
    public byte[] encode() {
        byte[] t = Wire.u16Bytes(token);
        byte[] k = Wire.u16Bytes(kind);
        byte[] n = Wire.u16Bytes(name);
        byte[] c = Wire.u16Bytes(cmdline);
        ByteBuffer buf = ByteBuffer.allocate(4 + 2 + 2 + t.length + 4 + 4 + 2 + k.length + 2 + n.length + 2 + c.length);
        buf.put(MAGIC);
        buf.putShort((short) version);
        Wire.putU16String(buf, t);
        buf.putInt((int) pid);
        buf.putInt((int) ppid);
        Wire.putU16String(buf, k);
        Wire.putU16String(buf, n);
        Wire.putU16String(buf, c);
        return buf.array();
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
    }

    /** Decodes a whole handshake from {@code bytes} (trailing bytes are an error). */
    public static Handshake decode(byte[] bytes) throws ProtocolException {
        try {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
            Handshake h = read(in);
            if (in.available() > 0) {
                throw new ProtocolException("handshake: " + in.available() + " unexpected bytes after the handshake");
            }
            return h;
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new ProtocolException("handshake: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one handshake. Bad magic, a stream that ends inside the handshake are {@link ProtocolException}s;
     * a version other than {@link #VERSION} is an {@link UnsupportedVersionException} (read no further:
     * the rest of another version's handshake may differ).
     */
    public static Handshake read(InputStream in) throws IOException {
        Reader r = new Reader(in);
        byte[] magic = r.bytes(4, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new ProtocolException("handshake: expected magic TLP1 at byte 0, got " + printable(magic)
                    + " (not a Throughline agent?)");
        }
        int version = r.u16("version");
        if (version != VERSION) {
            throw new UnsupportedVersionException(version);
        }
        String token = r.string("token");
        long pid = r.u32("pid");
        long ppid = r.u32("ppid");
        String kind = r.string("kind");
        String name = r.string("name");
        String cmdline = r.string("cmdline");
        return new Handshake(version, token, pid, ppid, kind, name, cmdline);
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x >= 0x20 && x < 0x7F ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
        }
        return "'" + s + "'";
    }

    /** Reads fields, keeping the offset for messages. */
    private static final class Reader {
        private final InputStream in;
        private final byte[] small = new byte[4];
        private long offset;

        Reader(InputStream in) {
            this.in = in;
        }

        byte[] bytes(int n, String field) throws IOException {
            byte[] b = new byte[n];
            fill(b, n, field);
            return b;
        }

        private void fill(byte[] b, int n, String field) throws IOException {
            try {
                Wire.readFully(in, b, 0, n);
            } catch (EOFException e) {
                throw new ProtocolException("handshake: connection closed at byte " + offset + " while reading "
                        + field + " (" + e.getMessage() + ")");
            }
            offset += n;
        }

        int u16(String field) throws IOException {
            fill(small, 2, field);
            return ((small[0] & 0xFF) << 8) | (small[1] & 0xFF);
        }

        long u32(String field) throws IOException {
            fill(small, 4, field);
            return ((long) (small[0] & 0xFF) << 24) | ((small[1] & 0xFF) << 16) | ((small[2] & 0xFF) << 8) | (small[3] & 0xFF);
        }

        String string(String field) throws IOException {
            int n = u16(field + " length");
            return new String(bytes(n, field), StandardCharsets.UTF_8);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Handshake)) {
            return false;
        }
        Handshake h = (Handshake) o;
        return version == h.version && pid == h.pid && ppid == h.ppid && token.equals(h.token) && kind.equals(h.kind)
                && name.equals(h.name) && cmdline.equals(h.cmdline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, token, pid, ppid, kind, name, cmdline);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "Handshake[version=" + version + ", pid=" + pid + ", ppid=" + ppid + ", kind=" + kind + ", name=" + name
                + ", cmdline=" + cmdline + "]";
    }
}
