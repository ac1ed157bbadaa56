package dev.throughline.storage.importer.nsys;

/**
 * Nsight Systems' serialized global ids ({@code globalTid}, {@code globalPid}): the documented decoding
 * (Nsight Systems exporter docs, "Serialized process and thread identifiers") is
 * {@code PID = (globalTid / 0x1000000) % 0x1000000} and {@code TID = globalTid % 0x1000000}; the bits
 * above hold the hardware / VM ids of the target. A {@code globalPid} is a {@code globalTid} whose tid bits
 * are zero, so a thread's process key is its id with the low 24 bits cleared.
 */
final class GlobalIds {
    private static final long LOW24 = 0xFFFFFFL;

    private GlobalIds() {
    }

    static long pid(long globalId) {
        return (globalId >>> 24) & LOW24;
    }

    static long tid(long globalTid) {
        return globalTid & LOW24;
    }

    /** The {@code globalPid} of the process a {@code globalTid} (or {@code globalPid}) belongs to. */
    static long processKey(long globalId) {
        return globalId & ~LOW24;
    }
}
