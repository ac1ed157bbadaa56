package dev.throughline.storage;

import java.util.Arrays;

/** A growable array of primitive longs: millions of timestamps without boxing. */
public final class LongList {
    private long[] values;
    private int size;

    public LongList() {
        this(16);
    }

    public LongList(int capacity) {
        values = new long[Math.max(4, capacity)];
    }

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length + (values.length >> 1) + 16);
        }
        values[size++] = v;
    }

    public long get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i + " >= " + size);
        }
        return values[i];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** A copy, trimmed to size. */
    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
