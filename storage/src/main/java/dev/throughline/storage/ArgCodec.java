package dev.throughline.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The compact encoding of an argument set ({@code arg_set.data}): per argument a varint key string
 * id, a tag byte and the value — 0: zigzag varint long, 1: 8-byte IEEE double, 2: varint string id
 * (strings up to 8 KB are interned, so repeated values such as tensor shapes and Python call stacks are stored once), 3: varint
 * length + UTF-8 bytes (long strings, kept inline so unique text does not grow the string table).
 * A Kineto argument costs ~4–6 bytes this way instead of ~50 as one SQL row.
 */
public final class ArgCodec {
    static final int INTERN_MAX_CHARS = 8192;
    private static final byte LONG = 0;
    private static final byte DOUBLE = 1;
    private static final byte STRING_ID = 2;
    private static final byte STRING_INLINE = 3;

    private byte[] buf = new byte[256];
    private int len;

    /** Encodes into this codec's buffer; valid until the next call. Returns the length. */
    int encode(ArgSet set, ToIntFunction<String> intern) {
        len = 0;
        for (ArgSet.Arg a : set.args()) {
            varint(intern.applyAsInt(a.key()));
            Object v = a.value();
            if (v instanceof Long l) {
                put(LONG);
                varint((l << 1) ^ (l >> 63));
            } else if (v instanceof Double d) {
                put(DOUBLE);
                long bits = Double.doubleToRawLongBits(d);
                for (int i = 7; i >= 0; i--) {
                    put((byte) (bits >>> (i * 8)));
                }
            } else {
                String s = (String) v;
                if (s.length() <= INTERN_MAX_CHARS) {
                    put(STRING_ID);
                    varint(intern.applyAsInt(s));
                } else {
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    put(STRING_INLINE);
                    varint(utf8.length);
                    ensure(utf8.length);
                    System.arraycopy(utf8, 0, buf, len, utf8.length);
                    len += utf8.length;
                }
            }
        }
        return len;
    }

    byte[] buffer() {
        return buf;
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    /** Decodes a blob written by {@link #encode}; values are Long, Double or String, in stored order. */
    public static Map<String, Object> decode(byte[] data, IntFunction<String> strings) {
        Map<String, Object> out = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            String key = strings.apply((int) readVarint(data, pos));
            byte tag = data[pos[0]++];
            switch (tag) {
                case LONG -> {
                    long z = readVarint(data, pos);
                    out.put(key, (z >>> 1) ^ -(z & 1));
                }
                case DOUBLE -> {
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = (bits << 8) | (data[pos[0]++] & 0xff);
                    }
                    out.put(key, Double.longBitsToDouble(bits));
                }
                case STRING_ID -> out.put(key, strings.apply((int) readVarint(data, pos)));
                case STRING_INLINE -> {
                    int n = (int) readVarint(data, pos);
                    out.put(key, new String(data, pos[0], n, StandardCharsets.UTF_8));
                    pos[0] += n;
                }
                default -> throw new IllegalArgumentException("corrupt argument set: tag " + tag + " at byte " + (pos[0] - 1));
            }
        }
        return out;
    }

    /**
     * The long value stored under the key string {@code keyId}, or {@code absent}: a scan of the blob with no
     * map and no strings built, for readers that need one argument of many rows (request ids).
     */
    public static long findLong(byte[] data, int keyId, long absent) {
        int[] pos = {0};
        while (pos[0] < data.length) {
            long key = readVarint(data, pos);
            byte tag = data[pos[0]++];
            switch (tag) {
                case LONG -> {
                    long z = readVarint(data, pos);
                    if (key == keyId) {
                        return (z >>> 1) ^ -(z & 1);
                    }
                }
                case DOUBLE -> pos[0] += 8;
                case STRING_ID -> readVarint(data, pos);
                case STRING_INLINE -> {
                    int n = (int) readVarint(data, pos);
                    pos[0] += n;
                }
                default -> throw new IllegalArgumentException("corrupt argument set: tag " + tag + " at byte " + (pos[0] - 1));
            }
        }
        return absent;
    }

    private static long readVarint(byte[] data, int[] pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = data[pos[0]++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            buf[len++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
