package dev.throughline.protocol;

import java.nio.ByteBuffer;

/**
 * META: one fact about the agent's process or how it records (string {@code keyId} = string {@code valueId}), e.g.
 * {@code profiler_engine} = {@code itimer}. The collector keeps it as capture meta {@code agent.<kind>.<pid>.<key>};
 * a later META with the same key replaces the value.
 */
public final class MetaFrame extends Frame {
    private final int keyId;
    private final int valueId;

    public MetaFrame(int keyId, int valueId) {
        this.keyId = keyId;
        this.valueId = valueId;
    }

    public int keyId() {
        return keyId;
    }

    public int valueId() {
        return valueId;
    }

    @Override
    public int type() {
        return META;
    }

    @Override
    int payloadLength() {
        return 8;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.putInt(keyId);
        buf.putInt(valueId);
    }

    static MetaFrame decode(ByteBuffer p) {
        return new MetaFrame(p.getInt(), p.getInt());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetaFrame && ((MetaFrame) o).keyId == keyId && ((MetaFrame) o).valueId == valueId;
    }

    @Override
    public int hashCode() {
        return keyId * 31 + valueId;
    }

    @Override
    public String toString() {
        return "META[key=" + Integer.toUnsignedString(keyId) + ", value=" + Integer.toUnsignedString(valueId) + "]";
    }
}
