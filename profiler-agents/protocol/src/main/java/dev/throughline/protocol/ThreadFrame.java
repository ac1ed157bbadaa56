package dev.throughline.protocol;

import java.nio.ByteBuffer;

/** THREAD: names thread {@code tid} (u64) with string {@code nameId}. */
public final class ThreadFrame extends Frame {
    private final long tid;
    private final int nameId;

    public ThreadFrame(long tid, int nameId) {
        this.tid = tid;
        this.nameId = nameId;
    }

    public long tid() {
        return tid;
    }

    public int nameId() {
        return nameId;
    }

    @Override
    public int type() {
        return THREAD;
    }

    @Override
    int payloadLength() {
        return 12;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.putLong(tid);
        buf.putInt(nameId);
    }

    static ThreadFrame decode(ByteBuffer p) {
        return new ThreadFrame(p.getLong(), p.getInt());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreadFrame && ((ThreadFrame) o).tid == tid && ((ThreadFrame) o).nameId == nameId;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(tid) * 31 + nameId;
    }

    @Override
    public String toString() {
        return "THREAD[tid=" + Long.toUnsignedString(tid) + ", name=" + Integer.toUnsignedString(nameId) + "]";
    }
}
