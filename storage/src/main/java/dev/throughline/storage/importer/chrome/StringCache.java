package dev.throughline.storage.importer.chrome;

/**
 * Turns the characters of a JSON string token into a String, returning the same instance for equal
 * text: the event names of a trace repeat millions of times, and an instance that is already known
 * costs neither an allocation nor a second hash in the capture writer's string table.
 */
final class StringCache {
    private static final int MAX_CACHED_LENGTH = 4096;

    private final int maxEntries;
    private String[] keys;
    private int[] hashes;
    private int size;

    StringCache(int maxEntries) {
        this.maxEntries = maxEntries;
        keys = new String[1024];
        hashes = new int[1024];
    }

    String get(char[] chars, int offset, int length) {
        if (length > MAX_CACHED_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + chars[i];
        }
        int mask = keys.length - 1;
        int slot = mix(h) & mask;
        while (true) {
            String k = keys[slot];
            if (k == null) {
                break;
            }
            if (hashes[slot] == h && matches(k, chars, offset, length)) {
                return k;
            }
            slot = (slot + 1) & mask;
        }
        String s = new String(chars, offset, length);
        if (size >= maxEntries) {
            return s; // full: stop caching rather than grow without bound
        }
        keys[slot] = s;
        hashes[slot] = h;
        if (++size * 2 > keys.length) {
            grow();
        }
        return s;
    }

    private static boolean matches(String k, char[] chars, int offset, int length) {
        if (k.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (k.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        keys = new String[oldKeys.length * 2];
        hashes = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = mix(oldHashes[i]) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }
}
