package dev.throughline.protocol;

import java.nio.ByteBuffer;

/** COUNTER: one value of the counter named by string {@code nameId} at {@code tsNs}. */
public final class CounterFrame extends Frame {
    private final int nameId;
    private final long tsNs;
    private final double value;

    public CounterFrame(int nameId, long tsNs, double value) {
        this.nameId = nameId;
        this.tsNs = tsNs;
        this.value = value;
    }

    public int nameId() {
        return nameId;
    }

    public long tsNs() {
        return tsNs;
    }

    public double value() {
        return value;
    }

    @Override
    public int type() {
        return COUNTER;
    }

    @Override
    int payloadLength() {
        return 20;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.putInt(nameId);
        buf.putLong(tsNs);
        buf.putDouble(value);
    }

    static CounterFrame decode(ByteBuffer p) {
        return new CounterFrame(p.getInt(), p.getLong(), p.getDouble());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CounterFrame)) {
            return false;
        }
        CounterFrame c = (CounterFrame) o;
        return c.nameId == nameId && c.tsNs == tsNs && Double.doubleToLongBits(c.value) == Double.doubleToLongBits(value);
    }

    @Override
    public int hashCode() {
        return (nameId * 31 + Long.hashCode(tsNs)) * 31 + Double.hashCode(value);
    }

    @Override
    public String toString() {
        return "COUNTER[name=" + Integer.toUnsignedString(nameId) + ", ts_ns=" + tsNs + ", value=" + value + "]";
    }
}
