package dev.throughline.gpu.cupti;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native buffers CUPTI fills. {@link #acquire()} runs on CUDA threads inside the host's CUDA calls,
 * so it never blocks and never waits for the decoder: it takes a free buffer, or mallocs a new one up
 * to a cap, or says no (CUPTI then drops records and counts them, which the tracer reports as loss).
 */
final class NativeActivityBuffers implements AutoCloseable {
    /** CUPTI wants 8-byte aligned buffers; malloc gives 16. */
    private final long bufferBytes;
    private final int maxBuffers;
    private final ConcurrentLinkedQueue<Pointer> free = new ConcurrentLinkedQueue<>();
    private final Map<Long, Pointer> owned = new ConcurrentHashMap<>();
    private final AtomicInteger allocated = new AtomicInteger();
    private volatile boolean closed;

    NativeActivityBuffers(long bufferBytes, int maxBuffers) {
        this.bufferBytes = bufferBytes;
        this.maxBuffers = maxBuffers;
    }

    long bufferBytes() {
        return bufferBytes;
    }

    int allocated() {
        return allocated.get();
    }

    /** A buffer for CUPTI, or null when the cap is reached (or the tracer is closing). */
    Pointer acquire() {
        if (closed) {
            return null;
        }
        Pointer p = free.poll();
        if (p != null) {
            return p;
        }
        if (allocated.incrementAndGet() > maxBuffers) {
            allocated.decrementAndGet();
            return null;
        }
        p = Pointer.malloc(bufferBytes);
        if (p == null || p.isNull()) {
            allocated.decrementAndGet();
            return null;
        }
        owned.put(p.address(), p);
        return p;
    }

    /** Whether an address is one of ours (a completed buffer CUPTI hands back). */
    boolean owns(long address) {
        return owned.containsKey(address);
    }

    /** A little-endian-ready view of the first validBytes of a buffer; no copy. */
    ByteBuffer view(long address, long validBytes) {
        Pointer p = owned.get(address);
        if (p == null || validBytes < 0 || validBytes > bufferBytes) {
            throw new IllegalArgumentException("not a buffer of this pool: " + address + " / " + validBytes);
        }
        return new BytePointer(p).position(0).limit(validBytes).capacity(validBytes).asByteBuffer();
    }

    /** Back to the free list once decoded. */
    void release(long address) {
        Pointer p = owned.get(address);
        if (p != null) {
            free.offer(p);
        }
    }

    /**
     * Frees the buffers that are back; one CUPTI still holds (no forced flush reached it) is left
     * allocated rather than freed under CUPTI's feet. Returns how many were left that way.
     */
    @Override
    public void close() {
        closed = true;
        for (Pointer p = free.poll(); p != null; p = free.poll()) {
            owned.remove(p.address());
            Pointer.free(p);
        }
        leftWithCupti = owned.size();
    }

    private volatile int leftWithCupti;

    int leftWithCupti() {
        return leftWithCupti;
    }
}
