package dev.throughline.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * SLICE: a span on thread {@code tid}: category id (as {@code dev.throughline.storage.Category}), start, duration,
 * name string id, correlation (-1 none), and arguments.
 */
public final class SliceFrame extends Frame {
    public static final long NO_CORRELATION = -1;

    private final int category;
    private final long tid;
    private final long startNs;
    private final long durNs;
    private final int nameId;
    private final long correlation;
    private final List<Arg> args;

    public SliceFrame(int category, long tid, long startNs, long durNs, int nameId, long correlation, List<Arg> args) {
        if (category < 0 || category > 0xFF) {
            throw new IllegalArgumentException("category out of u8 range: " + category);
        }
        if (args.size() > Wire.MAX_U16) {
            throw new IllegalArgumentException("at most 65535 args, got " + args.size());
        }
        this.category = category;
        this.tid = tid;
        this.startNs = startNs;
        this.durNs = durNs;
        this.nameId = nameId;
        this.correlation = correlation;
        this.args = Collections.unmodifiableList(new ArrayList<>(args));
    }

    public SliceFrame(int category, long tid, long startNs, long durNs, int nameId) {
        this(category, tid, startNs, durNs, nameId, NO_CORRELATION, Collections.<Arg>emptyList());
    }

    public int category() {
        return category;
    }

    public long tid() {
        return tid;
    }

    public long startNs() {
        return startNs;
    }

    public long durNs() {
        return durNs;
    }

    public int nameId() {
        return nameId;
    }

    public long correlation() {
        return correlation;
    }

    public List<Arg> args() {
        return args;
    }

    @Override
    public int type() {
        return SLICE;
    }

    @Override
    int payloadLength() {
        return 1 + 8 + 8 + 8 + 4 + 8 + 2 + args.size() * (4 + 1) + valueBytes();
    }

    private int valueBytes() {
        int n = 0;
        for (Arg a : args) {
            n += a.tag == Arg.TAG_STRING ? 4 : 8;
        }
        return n;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.put((byte) category);
        buf.putLong(tid);
        buf.putLong(startNs);
        buf.putLong(durNs);
        buf.putInt(nameId);
        buf.putLong(correlation);
        buf.putShort((short) args.size());
        for (Arg a : args) {
            buf.putInt(a.keyId);
            buf.put((byte) a.tag);
            if (a.tag == Arg.TAG_LONG) {
                buf.putLong(a.longValue);
            } else if (a.tag == Arg.TAG_DOUBLE) {
                buf.putDouble(a.doubleValue);
            } else {
                buf.putInt(a.stringId);
            }
        }
    }

    static SliceFrame decode(ByteBuffer p) throws ProtocolException {
        int category = p.get() & 0xFF;
        long tid = p.getLong();
        long start = p.getLong();
        long dur = p.getLong();
        int name = p.getInt();
        long corr = p.getLong();
        int n = p.getShort() & 0xFFFF;
        List<Arg> args = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            int key = p.getInt();
            int tag = p.get() & 0xFF;
            switch (tag) {
                case Arg.TAG_LONG:
                    args.add(Arg.ofLong(key, p.getLong()));
                    break;
                case Arg.TAG_DOUBLE:
                    args.add(Arg.ofDouble(key, p.getDouble()));
                    break;
                case Arg.TAG_STRING:
                    args.add(Arg.ofString(key, p.getInt()));
                    break;
                default:
                    throw new ProtocolException("SLICE arg " + i + ": unknown value tag " + tag + " (expected 0 i64, 1 f64, 2 string id)");
            }
        }
        return new SliceFrame(category, tid, start, dur, name, corr, args);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SliceFrame)) {
            return false;
        }
        SliceFrame s = (SliceFrame) o;
        return s.category == category && s.tid == tid && s.startNs == startNs && s.durNs == durNs && s.nameId == nameId
                && s.correlation == correlation && s.args.equals(args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, tid, startNs, durNs, nameId, correlation, args);
    }

    @Override
    public String toString() {
        return "SLICE[category=" + category + ", tid=" + Long.toUnsignedString(tid) + ", start_ns=" + startNs + ", dur_ns="
                + durNs + ", name=" + Integer.toUnsignedString(nameId) + ", correlation=" + correlation + ", args=" + args + "]";
    }

    /** One argument: key string id, and an i64, an f64 or a string id. */
    public static final class Arg {
        public static final int TAG_LONG = 0;
        public static final int TAG_DOUBLE = 1;
        public static final int TAG_STRING = 2;

        private final int keyId;
        private final int tag;
        private final long longValue;
        private final double doubleValue;
        private final int stringId;

        private Arg(int keyId, int tag, long longValue, double doubleValue, int stringId) {
            this.keyId = keyId;
            this.tag = tag;
            this.longValue = longValue;
            this.doubleValue = doubleValue;
            this.stringId = stringId;
        }

        public static Arg ofLong(int keyId, long value) {
            return new Arg(keyId, TAG_LONG, value, 0, 0);
        }

        public static Arg ofDouble(int keyId, double value) {
            return new Arg(keyId, TAG_DOUBLE, 0, value, 0);
        }

        public static Arg ofString(int keyId, int stringId) {
            return new Arg(keyId, TAG_STRING, 0, 0, stringId);
        }

        public int keyId() {
            return keyId;
        }

        public int tag() {
            return tag;
        }

        public long longValue() {
            return longValue;
        }

        public double doubleValue() {
            return doubleValue;
        }

        public int stringId() {
            return stringId;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Arg)) {
                return false;
            }
            Arg a = (Arg) o;
            return a.keyId == keyId && a.tag == tag && a.longValue == longValue && a.stringId == stringId
                    && Double.doubleToLongBits(a.doubleValue) == Double.doubleToLongBits(doubleValue);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyId, tag, longValue, doubleValue, stringId);
        }

        @Override
        public String toString() {
            String v = tag == TAG_LONG ? Long.toString(longValue) : tag == TAG_DOUBLE ? Double.toString(doubleValue)
                    : "string " + Integer.toUnsignedString(stringId);
            return Integer.toUnsignedString(keyId) + "=" + v;
        }
    }
}
