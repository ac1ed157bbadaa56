package dev.throughline.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes frames ({@code u32 length, u8 type, payload}) to an output stream, and interns strings: {@link #intern}
 * sends a STRING frame the first time it meets a value and returns its id (ids from 1, per connection).
 * Not thread-safe; does not buffer beyond one frame (wrap the stream in a {@code BufferedOutputStream}).
 * The static {@link #encode} methods write into a caller's buffer (an agent's ring) without a stream.
 */
public final class FrameWriter {
    private final OutputStream out;
    private final Map<String, Integer> interned = new HashMap<>();
    private ByteBuffer buf = ByteBuffer.allocate(256);
    private long framesWritten;
    private long bytesWritten;

    public FrameWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Bytes the frame takes on the wire, length prefix included. */
    public static int encodedLength(Frame frame) {
        return 4 + 1 + frame.payloadLength();
    }

    /** Puts the whole frame into {@code dst}; {@link java.nio.BufferOverflowException} if it does not fit (nothing written then). */
    public static void encode(Frame frame, ByteBuffer dst) {
        int payload = frame.payloadLength();
        if (dst.remaining() < 5 + payload) {
            throw new java.nio.BufferOverflowException();
        }
        dst.putInt(1 + payload);
        dst.put((byte) frame.type());
        int start = dst.position();
        frame.writePayload(dst);
        if (dst.position() - start != payload) {
            throw new IllegalStateException(Frame.typeName(frame.type()) + ": wrote " + (dst.position() - start)
                    + " payload bytes, declared " + payload);
        }
    }

    /** The frame's bytes, length prefix included. */
    public static byte[] encode(Frame frame) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength(frame));
        encode(frame, b);
        return b.array();
    }

    public void write(Frame frame) throws IOException {
        int n = encodedLength(frame);
        if (buf.capacity() < n) {
            buf = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2));
        }
        buf.clear();
        encode(frame, buf);
        out.write(buf.array(), 0, n);
        framesWritten++;
        bytesWritten += n;
    }

    /**
     * A SLICE with none, one or two i64 arguments, written straight into the stream without building a
     * {@link SliceFrame} (the agents' per-interval path): the same bytes as {@code write(new SliceFrame(...))}.
     */
    public void writeSlice(int category, long tid, long startNs, long durNs, int nameId, long correlation, int argCount,
                           int key1, long value1, int key2, long value2) throws IOException {
        if (category < 0 || category > 0xFF || argCount < 0 || argCount > 2) {
            throw new IllegalArgumentException("category " + category + ", " + argCount + " args");
        }
        int payload = 1 + 8 + 8 + 8 + 4 + 8 + 2 + argCount * (4 + 1 + 8);
        ByteBuffer b = buf.capacity() >= 5 + payload ? buf : (buf = ByteBuffer.allocate(256));
        b.clear();
        b.putInt(1 + payload).put((byte) Frame.SLICE);
        b.put((byte) category).putLong(tid).putLong(startNs).putLong(durNs).putInt(nameId).putLong(correlation);
        b.putShort((short) argCount);
        if (argCount > 0) {
            b.putInt(key1).put((byte) SliceFrame.Arg.TAG_LONG).putLong(value1);
        }
        if (argCount > 1) {
            b.putInt(key2).put((byte) SliceFrame.Arg.TAG_LONG).putLong(value2);
        }
        out.write(b.array(), 0, b.position());
        framesWritten++;
        bytesWritten += b.position();
    }

    public void writeAll(List<? extends Frame> frames) throws IOException {
        for (Frame f : frames) {
            write(f);
        }
    }

    /** The id of {@code value}; the first time, a STRING frame defining it is written. */
    public int intern(String value) throws IOException {
        Integer id = interned.get(value);
        if (id != null) {
            return id;
        }
        int next = interned.size() + 1;
        write(new StringFrame(next, value));
        interned.put(value, next);
        return next;
    }

    /** Strings interned so far. */
    public int internedCount() {
        return interned.size();
    }

    public void bye() throws IOException {
        write(ByeFrame.INSTANCE);
    }

    public void flush() throws IOException {
        out.flush();
    }

    public long framesWritten() {
        return framesWritten;
    }

    public long bytesWritten() {
        return bytesWritten;
    }
}
