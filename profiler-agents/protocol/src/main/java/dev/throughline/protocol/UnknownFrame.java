package dev.throughline.protocol;

import java.nio.ByteBuffer;

/**
 * A frame whose type this reader does not know: its payload was skipped. Readers report it
 * ({@code loss}: {@code agent-protocol}, {@code unknown frame type N}); it is never encoded.
 */
public final class UnknownFrame extends Frame {
    private final int type;
    private final int skipped;

    public UnknownFrame(int type, int skipped) {
        this.type = type;
        this.skipped = skipped;
    }

    @Override
    public int type() {
        return type;
    }

    /** Payload bytes skipped. */
    public int skipped() {
        return skipped;
    }

    @Override
    int payloadLength() {
        throw new UnsupportedOperationException("an unknown frame (type " + type + ") cannot be encoded");
    }

    @Override
    void writePayload(ByteBuffer buf) {
        throw new UnsupportedOperationException("an unknown frame (type " + type + ") cannot be encoded");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownFrame && ((UnknownFrame) o).type == type && ((UnknownFrame) o).skipped == skipped;
    }

    @Override
    public int hashCode() {
        return type * 31 + skipped;
    }

    @Override
    public String toString() {
        return "UNKNOWN[type=" + type + ", skipped=" + skipped + " bytes]";
    }
}
