package dev.throughline.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes the frames that follow an accepted handshake into {@link Frame} values. Bounded: a frame longer than
 * {@link #maxFrameLength()} is a {@link ProtocolException} before anything is allocated for it. An unknown type is
 * skipped and returned as an {@link UnknownFrame} for the caller to count. Every error message carries the
 * frame's number and byte offset. Not thread-safe.
 */
public final class FrameReader {
    /** 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 16 << 20;

    private final InputStream in;
    private final int maxFrameLength;
    private final byte[] header = new byte[5];
    private byte[] body = new byte[1024];
    private long offset;
    private long frames;

    public FrameReader(InputStream in) {
        this(in, DEFAULT_MAX_FRAME_LENGTH);
    }

    /** @param offset bytes already consumed from the stream (the handshake), so that messages give stream offsets */
    public FrameReader(InputStream in, int maxFrameLength, long offset) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength must be positive");
        }
        this.maxFrameLength = maxFrameLength;
        this.offset = offset;
    }

    public FrameReader(InputStream in, int maxFrameLength) {
        this(in, maxFrameLength, 0);
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** Bytes consumed so far (including the starting offset). */
    public long offset() {
        return offset;
    }

    /** Frames returned so far. */
    public long framesRead() {
        return frames;
    }

    /**
     * The next frame, or {@code null} when the stream ends cleanly between frames. A stream that ends inside a frame,
     * a length of 0 or over the limit, or a payload that does not match its type are {@link ProtocolException}s
     * (the first a {@link TruncatedFrameException}).
     */
    public Frame next() throws IOException {
        long frameOffset = offset;
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        try {
            Wire.readFully(in, header, 1, 4);
        } catch (EOFException e) {
            throw truncated(frameOffset, "length and type", e);
        }
        long length = ((long) (header[0] & 0xFF) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        int type = header[4] & 0xFF;
        if (length == 0) {
            throw new ProtocolException(where(frameOffset) + ": length 0 (a frame has at least its type byte)");
        }
        if (length > maxFrameLength) {
            throw new ProtocolException(where(frameOffset) + ": " + Frame.typeName(type) + " frame of " + length
                    + " bytes exceeds the limit of " + maxFrameLength + " bytes (corrupt stream, or not a Throughline agent?)");
        }
        int payload = (int) length - 1;
        offset += 5;
        if (type < Frame.STRING || type > Frame.META) {
            skip(payload, frameOffset);
            offset += payload;
            frames++;
            return new UnknownFrame(type, payload);
        }
        if (body.length < payload) {
            body = new byte[Math.max(payload, Math.min(body.length * 2, maxFrameLength))];
        }
        try {
            Wire.readFully(in, body, 0, payload);
        } catch (EOFException e) {
            throw truncated(frameOffset, Frame.typeName(type) + " payload of " + payload + " bytes", e);
        }
        offset += payload;
        ByteBuffer p = ByteBuffer.wrap(body, 0, payload);
        Frame f;
        try {
            f = decode(type, p);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException(where(frameOffset) + ": " + Frame.typeName(type) + " payload of " + payload
                    + " bytes is too short for its fields");
        } catch (ProtocolException e) {
            throw new ProtocolException(where(frameOffset) + ": " + e.getMessage());
        }
        if (p.hasRemaining()) {
            throw new ProtocolException(where(frameOffset) + ": " + Frame.typeName(type) + " payload has " + p.remaining()
                    + " bytes after its last field (length " + length + ")");
        }
        frames++;
        return f;
    }

    private static Frame decode(int type, ByteBuffer p) throws ProtocolException {
        switch (type) {
            case Frame.STRING: return StringFrame.decode(p);
            case Frame.THREAD: return ThreadFrame.decode(p);
            case Frame.SLICE: return SliceFrame.decode(p);
            case Frame.COUNTER: return CounterFrame.decode(p);
            case Frame.SAMPLE: return SampleFrame.decode(p);
            case Frame.LOSS: return LossFrame.decode(p);
            case Frame.BYE: return ByeFrame.INSTANCE;
            case Frame.META: return MetaFrame.decode(p);
            default: throw new IllegalStateException("type " + type);
        }
    }

    private void skip(int n, long frameOffset) throws IOException {
        int left = n;
        while (left > 0) {
            int r = in.read(body, 0, Math.min(left, body.length));
            if (r < 0) {
                throw truncated(frameOffset, "payload of an unknown frame type (" + n + " bytes)", null);
            }
            left -= r;
        }
    }

    private TruncatedFrameException truncated(long frameOffset, String what, EOFException cause) {
        return new TruncatedFrameException(where(frameOffset) + ": stream ended inside the frame while reading its " + what, cause);
    }

    private String where(long frameOffset) {
        return "frame " + (frames + 1) + " at byte " + frameOffset;
    }
}
