package dev.throughline.api;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Marks requests, their phases, training steps and named spans for the Throughline profiler.
 *
 * <pre>{@code
 * long id = Throughline.newRequestId();
 * Scope request = Throughline.request(id, "POST /infer");    // ended on whichever thread responds
 * try (Scope q = Throughline.phase("queue", id)) { ... }
 * try (Scope c = Throughline.phase("compute", batchIds)) { ... } // one compute phase, every request in the batch
 * request.close();
 * }</pre>
 *
 * <p>With no agent attached every call reads one volatile field and returns a shared no-op scope:
 * nothing is allocated and no clock is read. With an agent, a scope is one small object and two clock reads, and its
 * close puts the interval into the agent's {@link IntervalBuffer} without a lock or a wait (bench/ measures both).
 */
public final class Throughline {
    private static final Scope NOOP = () -> { };
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    /** Category ids, the same numbers as the wire protocol's slice categories. */
    public static final int STEP = 1;
    public static final int REQUEST = 2;
    public static final int PHASE = 3;
    public static final int USER = 14;

    private static volatile IntervalBuffer sink;
    /** Start of the running step on the marking thread's side; steps run from one mark to the next. */
    private static volatile long stepStartNs = -1;

    private Throughline() {
    }

    /** Called by the agent when it starts recording ({@code null} when it stops); never by user code. */
    public static void install(IntervalBuffer newSink) {
        stepStartNs = -1;
        sink = newSink;
    }

    /** Whether an agent is recording now. */
    public static boolean active() {
        return sink != null;
    }

    /** A process-unique request id (1, 2, ...); callers may use their own ids instead. */
    public static long newRequestId() {
        return REQUEST_IDS.incrementAndGet();
    }

    /** One request from arrival to response. */
    public static Scope request(long requestId, String name) {
        IntervalBuffer s = sink;
        return s == null ? NOOP : new Interval(s, REQUEST, name, requestId, 1, null);
    }

    /** One phase ({@code queue}, {@code batch_wait}, {@code compute}, {@code respond}, ...) of one request. */
    public static Scope phase(String phase, long requestId) {
        IntervalBuffer s = sink;
        return s == null ? NOOP : new Interval(s, PHASE, phase, requestId, 1, null);
    }

    /** One phase shared by several requests, e.g. the forward pass of a batch; attributed to each of them. */
    public static Scope phase(String phase, long... requestIds) {
        IntervalBuffer s = sink;
        return s == null ? NOOP : requestIds.length == 1
                ? new Interval(s, PHASE, phase, requestIds[0], 1, null)
                : new Interval(s, PHASE, phase, 0, requestIds.length, requestIds.clone());
    }

    /** A named span of user code, not tied to a request. */
    public static Scope span(String name) {
        IntervalBuffer s = sink;
        return s == null ? NOOP : new Interval(s, USER, name, 0, 0, null);
    }

    /** Marks a step boundary: the step that began at the previous mark ends now. */
    public static void step() {
        IntervalBuffer s = sink;
        if (s == null) {
            return;
        }
        long now = System.nanoTime();
        long start = stepStartNs;
        stepStartNs = now;
        if (start >= 0) {
            s.add(STEP, "step", Thread.currentThread().getId(), start, now, 0, 0, null);
        }
    }

    private static final class Interval implements Scope {
        private static final AtomicIntegerFieldUpdater<Interval> CLOSED =
                AtomicIntegerFieldUpdater.newUpdater(Interval.class, "closed");

        private final IntervalBuffer sink;
        private final int category;
        private final String name;
        private final long requestId;
        private final int requestCount;
        private final long[] requestIds;
        private final long threadId = Thread.currentThread().getId();
        private final long startNs = System.nanoTime();
        private volatile int closed;

        Interval(IntervalBuffer sink, int category, String name, long requestId, int requestCount, long[] requestIds) {
            this.sink = sink;
            this.category = category;
            this.name = name;
            this.requestId = requestId;
            this.requestCount = requestCount;
            this.requestIds = requestIds;
        }

        @Override
        public void close() {
            long end = System.nanoTime();
            if (closed == 0 && CLOSED.compareAndSet(this, 0, 1)) {
                sink.add(category, name, threadId, startNs, end, requestId, requestCount, requestIds);
            }
        }
    }
}
