package dev.throughline.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** SAMPLE: one stack of thread {@code tid} at {@code tsNs}, root first, with a weight (u32). */
public final class SampleFrame extends Frame {
    private final long tid;
    private final long tsNs;
    private final long weight;
    private final List<Location> frames;

    public SampleFrame(long tid, long tsNs, long weight, List<Location> frames) {
        if (weight < 0 || weight > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("weight out of u32 range: " + weight);
        }
        if (frames.size() > Wire.MAX_U16) {
            throw new IllegalArgumentException("at most 65535 stack frames, got " + frames.size());
        }
        this.tid = tid;
        this.tsNs = tsNs;
        this.weight = weight;
        this.frames = Collections.unmodifiableList(new ArrayList<>(frames));
    }

    public long tid() {
        return tid;
    }

    public long tsNs() {
        return tsNs;
    }

    public long weight() {
        return weight;
    }

    /** Root first. */
    public List<Location> frames() {
        return frames;
    }

    @Override
    public int type() {
        return SAMPLE;
    }

    @Override
    int payloadLength() {
        return 8 + 8 + 4 + 2 + frames.size() * 12;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.putLong(tid);
        buf.putLong(tsNs);
        buf.putInt((int) weight);
        buf.putShort((short) frames.size());
        for (Location f : frames) {
            buf.putInt(f.functionId);
            buf.putInt(f.fileId);
            buf.putInt(f.line);
        }
    }

    static SampleFrame decode(ByteBuffer p) {
        long tid = p.getLong();
        long ts = p.getLong();
        long weight = p.getInt() & 0xFFFF_FFFFL;
        int n = p.getShort() & 0xFFFF;
        List<Location> frames = new ArrayList<>(Math.min(n, 256));
        for (int i = 0; i < n; i++) {
            frames.add(new Location(p.getInt(), p.getInt(), p.getInt()));
        }
        return new SampleFrame(tid, ts, weight, frames);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SampleFrame)) {
            return false;
        }
        SampleFrame s = (SampleFrame) o;
        return s.tid == tid && s.tsNs == tsNs && s.weight == weight && s.frames.equals(frames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tid, tsNs, weight, frames);
    }

    @Override
    public String toString() {
        return "SAMPLE[tid=" + Long.toUnsignedString(tid) + ", ts_ns=" + tsNs + ", weight=" + weight + ", frames=" + frames + "]";
    }

    /** One stack frame: function name and file string ids, line (u32). */
    public static final class Location {
        private final int functionId;
        private final int fileId;
        private final int line;

        public Location(int functionId, int fileId, int line) {
            this.functionId = functionId;
            this.fileId = fileId;
            this.line = line;
        }

        public int functionId() {
            return functionId;
        }

        public int fileId() {
            return fileId;
        }

        /** u32 as stored; {@code Integer.toUnsignedLong} for values over 2^31. */
        public int line() {
            return line;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Location)) {
                return false;
            }
            Location l = (Location) o;
            return l.functionId == functionId && l.fileId == fileId && l.line == line;
        }

        @Override
        public int hashCode() {
            return (functionId * 31 + fileId) * 31 + line;
        }

        @Override
        public String toString() {
            return Integer.toUnsignedString(functionId) + "@" + Integer.toUnsignedString(fileId) + ":" + Integer.toUnsignedString(line);
        }
    }
}
