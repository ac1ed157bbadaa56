package dev.throughline.api;

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
 * nothing is allocated and no clock is read (bench/ measures the cost per call).
 */
public final class Throughline {
    private static final Scope NOOP = () -> { };
    private static final long[] NO_REQUESTS = new long[0];
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private static volatile Sink sink;
    /** Start of the running step on the marking thread's side; steps run from one mark to the next. */
    private static volatile long stepStartNs = -1;

    private Throughline() {
    }

    /** Called by the agent when it starts recording ({@code null} when it stops). */
    public static void install(Sink newSink) {
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
        Sink s = sink;
        return s == null ? NOOP : new Interval(s, Sink.REQUEST, name, new long[] {requestId});
    }

    /** One phase ({@code queue}, {@code batch_wait}, {@code compute}, {@code respond}, ...) of one request. */
    public static Scope phase(String phase, long requestId) {
        Sink s = sink;
        return s == null ? NOOP : new Interval(s, Sink.PHASE, phase, new long[] {requestId});
    }

    /** One phase shared by several requests, e.g. the forward pass of a batch; attributed to each of them. */
    public static Scope phase(String phase, long... requestIds) {
        Sink s = sink;
        return s == null ? NOOP : new Interval(s, Sink.PHASE, phase, requestIds.clone());
    }

    /** A named span of user code, not tied to a request. */
    public static Scope span(String name) {
        Sink s = sink;
        return s == null ? NOOP : new Interval(s, Sink.USER, name, NO_REQUESTS);
    }

    /** Marks a step boundary: the step that began at the previous mark ends now. */
    public static void step() {
        Sink s = sink;
        if (s == null) {
            return;
        }
        long now = System.nanoTime();
        long start = stepStartNs;
        stepStartNs = now;
        if (start >= 0) {
            s.interval(Sink.STEP, "step", Thread.currentThread().getId(), start, now, NO_REQUESTS);
        }
    }

    private static final class Interval implements Scope {
        private final Sink sink;
        private final int category;
        private final String name;
        private final long[] requestIds;
        private final long threadId = Thread.currentThread().getId();
        private final long startNs = System.nanoTime();
        private boolean closed;

        Interval(Sink sink, int category, String name, long[] requestIds) {
            this.sink = sink;
            this.category = category;
            this.name = name;
            this.requestIds = requestIds;
        }

        @Override
        public void close() {
            long end = System.nanoTime();
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            try {
                sink.interval(category, name, threadId, startNs, end, requestIds);
            } catch (RuntimeException e) {
                // a profiler must never break the program it observes
            }
        }
    }
}
