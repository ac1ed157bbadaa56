package dev.throughline.samples.serving;

/**
 * {@code --alloc-heavy}: per request, ~1 MB of short-lived arrays plus one 16 KB array kept in a ring of
 * 2,048 slots (32 MB that keeps turning over), so objects survive young collections and get copied and
 * promoted: GC pauses grow with the request rate, as in a service that builds big responses or caches.
 */
final class Garbage {
    private static final int CHUNK = 16 * 1024;
    private static final int CHUNKS_PER_REQUEST = 64;
    private final byte[][] retained = new byte[2048][];
    private long sink;

    synchronized void churn(long requestId) {
        long sum = 0;
        for (int i = 0; i < CHUNKS_PER_REQUEST; i++) {
            byte[] chunk = new byte[CHUNK];
            chunk[(int) (requestId + i) & (CHUNK - 1)] = (byte) i; // touched, so the allocation is not elided
            sum += chunk[i];
            if (i == 0) {
                retained[(int) (requestId & (retained.length - 1))] = chunk;
            }
        }
        sink += sum;
    }

    long sink() {
        return sink;
    }
}
