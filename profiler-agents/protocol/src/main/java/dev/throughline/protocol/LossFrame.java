package dev.throughline.protocol;

import java.nio.ByteBuffer;

/** LOSS: the agent has dropped {@code count} events (cumulative, u64) of the kind named by string {@code kindId}. */
public final class LossFrame extends Frame {
    private final int kindId;
    private final long count;

    public LossFrame(int kindId, long count) {
        this.kindId = kindId;
        this.count = count;
    }

    public int kindId() {
        return kindId;
    }

    /** Cumulative count so far (u64; read as unsigned). */
    public long count() {
        return count;
    }

    @Override
    public int type() {
        return LOSS;
    }

    @Override
    int payloadLength() {
        return 12;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.putInt(kindId);
        buf.putLong(count);
    }

    static LossFrame decode(ByteBuffer p) {
        return new LossFrame(p.getInt(), p.getLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossFrame && ((LossFrame) o).kindId == kindId && ((LossFrame) o).count == count;
    }

    @Override
    public int hashCode() {
        return kindId * 31 + Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "LOSS[kind=" + Integer.toUnsignedString(kindId) + ", count=" + Long.toUnsignedString(count) + "]";
    }
}
