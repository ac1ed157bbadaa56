package dev.throughline.storage.importer.chrome;

/** An open-addressing map from a pair of longs to a positive int (0 = absent); no boxing. */
final class LongPairIntMap {
    private long[] as;
    private long[] bs;
    private int[] values;
    private int size;

    LongPairIntMap() {
        as = new long[64];
        bs = new long[64];
        values = new int[64];
    }

    int get(long a, long b) {
        int mask = values.length - 1;
        int slot = hash(a, b) & mask;
        while (values[slot] != 0) {
            if (as[slot] == a && bs[slot] == b) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return 0;
    }

    void put(long a, long b, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("values must be positive: " + value);
        }
        int mask = values.length - 1;
        int slot = hash(a, b) & mask;
        while (values[slot] != 0) {
            if (as[slot] == a && bs[slot] == b) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        as[slot] = a;
        bs[slot] = b;
        values[slot] = value;
        if (++size * 2 > values.length) {
            grow();
        }
    }

    private static int hash(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldA = as;
        long[] oldB = bs;
        int[] oldV = values;
        as = new long[oldV.length * 2];
        bs = new long[oldV.length * 2];
        values = new int[oldV.length * 2];
        size = 0;
        for (int i = 0; i < oldV.length; i++) {
            if (oldV[i] != 0) {
                put(oldA[i], oldB[i], oldV[i]);
            }
        }
    }
}
