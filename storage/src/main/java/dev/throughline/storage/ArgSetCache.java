package dev.throughline.storage;

import java.util.Arrays;

/**
 * Remembers recently written argument sets so an equal set is stored once. Direct-mapped by a hash
 * of the encoded bytes (no String keys, no linked entries: most Kineto sets are unique, so the cache
 * must be cheap when it misses); a hit is confirmed by comparing the bytes.
 */
final class ArgSetCache {
    private static final int SLOTS = 1 << 16;
    private final long[] hashes = new long[SLOTS];
    private final long[] ids = new long[SLOTS];
    private final byte[][] blobs = new byte[SLOTS][];

    static long hash(byte[] buf, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            h = (h ^ (buf[i] & 0xff)) * 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }

    /** The id of an equal set written earlier and still cached, or 0. */
    long find(byte[] buf, int len, long hash) {
        int slot = (int) hash & (SLOTS - 1);
        byte[] cached = blobs[slot];
        if (cached != null && hashes[slot] == hash && Arrays.equals(cached, 0, cached.length, buf, 0, len)) {
            return ids[slot];
        }
        return 0;
    }

    void put(byte[] blob, long hash, long id) {
        int slot = (int) hash & (SLOTS - 1);
        blobs[slot] = blob;
        hashes[slot] = hash;
        ids[slot] = id;
    }
}
