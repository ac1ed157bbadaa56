package dev.throughline.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where finished intervals wait for the agent: a bounded lock-free ring (Vyukov's bounded queue; many writers, one
 * reader) of primitive slots, so that marking an interval on a program thread allocates nothing, takes no lock and
 * never waits. When the ring is full the interval is dropped and counted ({@link #dropped()}); the agent reports the
 * count in the capture.
 *
 * <p>Created and read by the Throughline agent, which lives in another class loader: {@link #drain} therefore takes
 * and fills JDK arrays only. User code never needs this class.
 */
public final class IntervalBuffer {
    /** Longs per drained interval: category, thread id, start ns, end ns, request id, request count. */
    public static final int LONGS = 6;
    /** References per drained interval: name ({@link String}), request ids ({@code long[]}) when more than one. */
    public static final int REFS = 2;

    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    /** Per slot: equal to the writer position when free, position + 1 once written, position + capacity once read. */
    private final long[] sequence;
    private final long[] longs;
    private final Object[] refs;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long head;

    /** @param capacity slots, rounded up to a power of two (at least 2) */
    public IntervalBuffer(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.mask = size - 1;
        this.sequence = new long[size];
        this.longs = new long[size * LONGS];
        this.refs = new Object[size * REFS];
        for (int i = 0; i < size; i++) {
            sequence[i] = i;
        }
    }

    public int capacity() {
        return mask + 1;
    }

    /** Intervals lost because the ring was full. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Adds one finished interval from any thread; false (and counted) when the ring is full.
     * {@code requestIds} is read only when {@code requestCount > 1}; with one request its id is {@code requestId}.
     */
    boolean add(int category, String name, long threadId, long startNs, long endNs, long requestId, int requestCount,
                long[] requestIds) {
        long pos = tail.get();
        int slot;
        while (true) {
            slot = (int) pos & mask;
            long diff = (long) SEQUENCE.getAcquire(sequence, slot) - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    break;
                }
                pos = tail.get();
            } else if (diff < 0) {
                dropped.incrementAndGet();
                return false;
            } else {
                pos = tail.get();
            }
        }
        int l = slot * LONGS;
        longs[l] = category;
        longs[l + 1] = threadId;
        longs[l + 2] = startNs;
        longs[l + 3] = endNs;
        longs[l + 4] = requestId;
        longs[l + 5] = requestCount;
        int r = slot * REFS;
        refs[r] = name;
        refs[r + 1] = requestCount > 1 ? requestIds : null;
        SEQUENCE.setRelease(sequence, slot, pos + 1);
        return true;
    }

    /**
     * Moves up to as many finished intervals as the arrays hold ({@link #LONGS} longs and {@link #REFS} references
     * each, in order of their claim) and returns how many. One reader at a time.
     */
    public synchronized int drain(long[] longsOut, Object[] refsOut) {
        int max = Math.min(longsOut.length / LONGS, refsOut.length / REFS);
        int n = 0;
        while (n < max) {
            int slot = (int) head & mask;
            if ((long) SEQUENCE.getAcquire(sequence, slot) != head + 1) {
                break; // empty, or the next writer has claimed its slot but not finished writing it
            }
            System.arraycopy(longs, slot * LONGS, longsOut, n * LONGS, LONGS);
            refsOut[n * REFS] = refs[slot * REFS];
            refsOut[n * REFS + 1] = refs[slot * REFS + 1];
            refs[slot * REFS] = null;
            refs[slot * REFS + 1] = null;
            SEQUENCE.setRelease(sequence, slot, head + mask + 1);
            head++;
            n++;
        }
        return n;
    }
}
