package dev.throughline.gpu.cupti;

import dev.throughline.gpu.ProbeFailures;
import dev.throughline.gpu.ProbeStatus;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cupti.CUpti_BuffersCallbackCompleteFunc;
import org.bytedeco.cuda.cupti.CUpti_BuffersCallbackRequestFunc;
import org.bytedeco.cuda.global.cupti;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GPU activity tracing through CUPTI's activity API (JavaCPP CUDA presets): kernels (concurrent),
 * memcpy, memset, synchronization, runtime and driver API calls. CUPTI fills native buffers on its
 * own and the host's CUDA threads; the callbacks here only hand buffers over (a lock-free pool and a
 * queue, never blocking a CUDA call), and one daemon thread decodes them ({@link ActivityBufferDecoder}),
 * moves CUPTI's timestamps onto CLOCK_MONOTONIC ({@link ClockOffset}) and calls the sink.
 *
 * <p>Where the driver or CUPTI is missing, {@link #start} answers "unavailable: reason" once and
 * nothing else happens: every Throwable stops at this boundary. One tracer per process (CUPTI's
 * activity callbacks are process-wide).
 */
public final class CuptiTracer implements AutoCloseable {
    /** What start gave: a running tracer, or why there is none. */
    public static final class Started {
        public final ProbeStatus status;
        /** Null when unavailable. */
        public final CuptiTracer tracer;

        Started(ProbeStatus status, CuptiTracer tracer) {
            this.status = status;
            this.tracer = tracer;
        }
    }

    /** How big and how many buffers, and how often CUPTI hands over partly full ones. */
    public static final class Options {
        public final long bufferBytes;
        public final int maxBuffers;
        /** 0: only when a buffer is full or at stop. */
        public final int flushPeriodMs;

        public Options(long bufferBytes, int maxBuffers, int flushPeriodMs) {
            this.bufferBytes = bufferBytes;
            this.maxBuffers = maxBuffers;
            this.flushPeriodMs = flushPeriodMs;
        }

        /** 4 MiB buffers, at most 32 (128 MiB, only reached when the decoder falls behind), 1 s flush. */
        public static Options defaults() {
            return new Options(4L << 20, 32, 1000);
        }
    }

    /** The kinds enabled; CONCURRENT_KERNEL rather than KERNEL, which would serialize the host's kernels. */
    private static final int[] KINDS = {
        CuptiLayout.KIND_CONCURRENT_KERNEL, CuptiLayout.KIND_MEMCPY, CuptiLayout.KIND_MEMSET,
        CuptiLayout.KIND_SYNCHRONIZATION, CuptiLayout.KIND_RUNTIME, CuptiLayout.KIND_DRIVER,
    };
    private static final String[] KIND_NAMES = {"concurrent kernel", "memcpy", "memset", "synchronization",
        "runtime API", "driver API"};

    /** Buffers whose record walk is compared with CUPTI's own cuptiActivityGetNextRecord. */
    private static final int WALK_CHECKS = 8;

    private static volatile ProbeStatus loadFailure;
    /** The running tracer the process-wide callbacks feed; null between tracers. */
    private static volatile CuptiTracer current;
    private static CUpti_BuffersCallbackRequestFunc requestCallback;
    private static CUpti_BuffersCallbackCompleteFunc completeCallback;

    private final GpuActivitySink sink;
    private final CuptiLayout layout;
    private final NativeActivityBuffers buffers;
    private final ClockOffset clockAtStart;
    private final List<Integer> enabled;
    private final LinkedBlockingQueue<long[]> completed = new LinkedBlockingQueue<>();
    private final Thread decoderThread;
    private final AtomicLong cuptiDropped = new AtomicLong();
    private final AtomicLong noBufferRequests = new AtomicLong();
    private final AtomicLong buffersCompleted = new AtomicLong();
    private final AtomicLong buffersHandedOut = new AtomicLong();
    private volatile boolean stopping;

    // decoder thread only
    private long decoded;
    private long skipped;
    private long undecodable;
    private long reportedCuptiDropped;
    private long reportedNoBuffer;
    private int walkChecked;
    private long walkRecords;
    private String walkCheck = "not run (no buffer completed)";
    private boolean layoutBroken;
    private ClockOffset clockAtStop;

    private CuptiTracer(GpuActivitySink sink, CuptiLayout layout, NativeActivityBuffers buffers, ClockOffset clock,
                        List<Integer> enabled) {
        this.sink = sink;
        this.layout = layout;
        this.buffers = buffers;
        this.clockAtStart = clock;
        this.enabled = enabled;
        this.decoderThread = new Thread(this::decodeLoop, "throughline-cupti");
        this.decoderThread.setDaemon(true);
    }

    public static Started start(GpuActivitySink sink) {
        return start(sink, Options.defaults());
    }

    public static synchronized Started start(GpuActivitySink sink, Options options) {
        ProbeStatus failed = loadFailure;
        if (failed != null) {
            return new Started(failed, null);
        }
        if (current != null) {
            return new Started(ProbeStatus.unavailable("CUPTI is already tracing in this process"), null);
        }
        try {
            // loads cudart's bindings first: no libcuda.so.1 (no driver) fails here
            Loader.load(cupti.class);
            int[] version = new int[1];
            int rc = cupti.cuptiGetVersion(version);
            if (rc != cupti.CUPTI_SUCCESS) {
                return new Started(ProbeStatus.unavailable("cuptiGetVersion failed: " + error(rc)), null);
            }
            CuptiLayout layout = CuptiLayout.forApiVersion(version[0]);
            if (layout == null) {
                return new Started(ProbeStatus.unavailable("CUPTI API version " + version[0]
                        + " is older than 13.0: its activity records have other layouts"), null);
            }
            ClockOffset clock = measureClock();
            NativeActivityBuffers buffers = new NativeActivityBuffers(options.bufferBytes, options.maxBuffers);
            registerCallbacks();
            List<Integer> enabled = new ArrayList<>();
            StringBuilder refused = new StringBuilder();
            java.util.Set<String> reasons = new java.util.LinkedHashSet<>();
            CuptiTracer tracer = new CuptiTracer(sink, layout, buffers, clock, enabled);
            current = tracer;
            for (int i = 0; i < KINDS.length; i++) {
                rc = cupti.cuptiActivityEnable(KINDS[i]);
                if (rc == cupti.CUPTI_SUCCESS) {
                    enabled.add(KINDS[i]);
                } else {
                    String why = error(rc);
                    reasons.add(why);
                    refused.append(refused.length() == 0 ? "" : ", ").append(KIND_NAMES[i]).append(": ").append(why);
                }
            }
            if (enabled.isEmpty()) {
                current = null;
                buffers.close();
                // one reason for all (the usual case: no usable driver) is said once
                String why = reasons.size() == 1 ? ": " + reasons.iterator().next() : " (" + refused + ")";
                return new Started(ProbeStatus.unavailable("CUPTI refused every activity kind" + why), null);
            }
            if (options.flushPeriodMs > 0) {
                cupti.cuptiActivityFlushPeriod(options.flushPeriodMs);
            }
            tracer.decoderThread.start();
            String detail = "CUPTI " + (version[0] / 10000) + "." + (version[0] / 100 % 100) + " (API " + version[0]
                    + "), " + layout + ", clock " + clock + (refused.length() == 0 ? "" : "; refused: " + refused);
            return new Started(ProbeStatus.available(detail), tracer);
        } catch (Throwable t) {
            current = null;
            ProbeStatus status = ProbeStatus.unavailable(ProbeFailures.reason(t));
            if (t instanceof LinkageError) {
                loadFailure = status; // a class that failed to load stays failed in this JVM
            }
            return new Started(status, null);
        }
    }

    private static ClockOffset measureClock() {
        long[] ts = new long[1];
        return ClockOffset.measure(() -> {
            cupti.cuptiGetTimestamp(ts);
            return ts[0];
        }, System::nanoTime, 200);
    }

    /** Once per process; the callbacks route to whichever tracer is current. Kept in static fields: never collected. */
    private static void registerCallbacks() {
        if (requestCallback != null) {
            return;
        }
        CUpti_BuffersCallbackRequestFunc request = new CUpti_BuffersCallbackRequestFunc() {
            @Override
            public void call(PointerPointer buffer, SizeTPointer size, SizeTPointer maxNumRecords) {
                CuptiTracer t = current;
                Pointer p = null;
                try {
                    p = t == null ? null : t.buffers.acquire();
                } catch (Throwable ignored) {
                    // never throw into CUDA: no buffer means CUPTI drops and counts
                }
                if (p == null && t != null) {
                    t.noBufferRequests.incrementAndGet();
                } else if (p != null) {
                    t.buffersHandedOut.incrementAndGet();
                }
                buffer.put(0, p == null ? new Pointer() : p);
                size.put(p == null ? 0 : t.buffers.bufferBytes());
                maxNumRecords.put(0L); // as many as fit
            }
        };
        CUpti_BuffersCallbackCompleteFunc complete = new CUpti_BuffersCallbackCompleteFunc() {
            @Override
            public void call(CUctx_st context, int streamId, BytePointer buffer, long size, long validSize) {
                CuptiTracer t = current;
                if (t == null || buffer == null || buffer.isNull()) {
                    return;
                }
                try (SizeTPointer dropped = new SizeTPointer(1)) {
                    if (cupti.cuptiActivityGetNumDroppedRecords(context, streamId, dropped) == cupti.CUPTI_SUCCESS) {
                        t.cuptiDropped.addAndGet(dropped.get());
                    }
                } catch (Throwable ignored) {
                    // the count is best effort; the buffer still goes to the decoder
                }
                t.buffersCompleted.incrementAndGet();
                t.completed.offer(new long[] {buffer.address(), validSize});
            }
        };
        int rc = cupti.cuptiActivityRegisterCallbacks(request, complete);
        if (rc != cupti.CUPTI_SUCCESS) {
            throw new IllegalStateException("cuptiActivityRegisterCallbacks failed: " + error(rc));
        }
        requestCallback = request;
        completeCallback = complete;
    }

    private void decodeLoop() {
        NativeNames names = new NativeNames();
        ActivityBufferDecoder decoder = new ActivityBufferDecoder(layout, names, clockAtStart.offsetNs);
        try {
            while (true) {
                long[] b = completed.poll(200, TimeUnit.MILLISECONDS);
                if (b == null) {
                    if (stopping) {
                        break;
                    }
                    reportLoss();
                    continue;
                }
                if (b[0] == 0) {
                    break; // the stop marker, queued after the forced flush's buffers
                }
                decodeBuffer(decoder, b[0], b[1]);
                reportLoss();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
        reportLoss();
    }

    private void decodeBuffer(ActivityBufferDecoder decoder, long address, long valid) {
        try {
            if (!buffers.owns(address) || valid <= 0) {
                return;
            }
            ByteBuffer view = buffers.view(address, valid);
            if (walkChecked < WALK_CHECKS && !layoutBroken) {
                checkWalk(decoder, view, address, valid);
            }
            if (layoutBroken) {
                undecodable++;
                sink.dropped("cupti buffer not decoded (layout mismatch)", 1);
                return;
            }
            ActivityBufferDecoder.Result r = decoder.decode(view, a -> {
                try {
                    sink.activity(a);
                } catch (RuntimeException ignored) {
                    // a failing sink must not stop the decoding of the rest
                }
            });
            decoded += r.decoded;
            skipped += r.skipped;
            if (!r.complete()) {
                undecodable++;
                sink.dropped("cupti record kind " + r.stoppedAtKind + " unknown: rest of buffer", 1);
            }
        } catch (Throwable t) {
            undecodable++;
            sink.dropped("cupti buffer not decoded (" + t.getClass().getSimpleName() + ")", 1);
        } finally {
            buffers.release(address);
        }
    }

    /**
     * Compares where our walk finds records with where CUPTI's own cuptiActivityGetNextRecord finds them:
     * a record size that is off (a CUPTI whose layout was not verified) shows on the first buffer
     * instead of as garbage, and decoding stops rather than deliver wrong numbers.
     */
    private void checkWalk(ActivityBufferDecoder decoder, ByteBuffer view, long address, long valid) {
        int[] ours = decoder.recordOffsets(view);
        List<Long> theirs = new ArrayList<>();
        BytePointer buffer = new AddressPointer(address);
        try (PointerPointer<Pointer> record = new PointerPointer<>(1)) {
            record.put(0, new Pointer());
            while (cupti.cuptiActivityGetNextRecord(buffer, valid, record) == cupti.CUPTI_SUCCESS) {
                theirs.add(record.get(0).address() - address);
            }
        }
        walkChecked++;
        long[] ourOffsets = Arrays.stream(ours).asLongStream().toArray();
        long[] cuptiOffsets = theirs.stream().mapToLong(Long::longValue).toArray();
        if (Arrays.equals(ourOffsets, cuptiOffsets)) {
            walkRecords += ours.length;
            walkCheck = "ok: " + walkRecords + " records in " + walkChecked + " buffers at the offsets CUPTI walks";
        } else {
            layoutBroken = true;
            int i = 0;
            while (i < ourOffsets.length && i < cuptiOffsets.length && ourOffsets[i] == cuptiOffsets[i]) {
                i++;
            }
            walkCheck = "MISMATCH at record " + i + ": ours " + (i < ourOffsets.length ? ourOffsets[i] : -1)
                    + ", CUPTI's " + (i < cuptiOffsets.length ? cuptiOffsets[i] : -1) + " (" + ours.length + " vs "
                    + cuptiOffsets.length + " records); decoding stopped";
        }
    }

    private void reportLoss() {
        long d = cuptiDropped.get();
        if (d > reportedCuptiDropped) {
            sink.dropped("cupti dropped records", d - reportedCuptiDropped);
            reportedCuptiDropped = d;
        }
        long n = noBufferRequests.get();
        if (n > reportedNoBuffer) {
            sink.dropped("cupti buffer refused (pool full)", n - reportedNoBuffer);
            reportedNoBuffer = n;
        }
    }

    /** What the tracer did; read after {@link #close()}. */
    public static final class Stats {
        public final long buffers;
        public final long decoded;
        public final long skipped;
        public final long undecodableBuffers;
        public final long cuptiDropped;
        public final long bufferRefusals;
        public final String walkCheck;
        public final ClockOffset clockAtStart;
        public final ClockOffset clockAtStop;
        public final int buffersLeftWithCupti;

        Stats(long buffers, long decoded, long skipped, long undecodableBuffers, long cuptiDropped,
              long bufferRefusals, String walkCheck, ClockOffset clockAtStart, ClockOffset clockAtStop,
              int buffersLeftWithCupti) {
            this.buffers = buffers;
            this.decoded = decoded;
            this.skipped = skipped;
            this.undecodableBuffers = undecodableBuffers;
            this.cuptiDropped = cuptiDropped;
            this.bufferRefusals = bufferRefusals;
            this.walkCheck = walkCheck;
            this.clockAtStart = clockAtStart;
            this.clockAtStop = clockAtStop;
            this.buffersLeftWithCupti = buffersLeftWithCupti;
        }

        @Override
        public String toString() {
            return buffers + " buffers, " + decoded + " activities, " + skipped + " other records, "
                    + undecodableBuffers + " buffers not fully decoded, " + cuptiDropped + " dropped by CUPTI, "
                    + bufferRefusals + " buffer refusals; walk check " + walkCheck + "; clock at start " + clockAtStart
                    + ", at stop " + clockAtStop;
        }
    }

    private volatile Stats stats;

    /** The kinds CUPTI accepted. */
    public List<Integer> enabledKinds() {
        return enabled;
    }

    /**
     * Forces CUPTI to hand over every buffer (also partly full ones), disables the kinds, lets the
     * decoder finish, and reports any loss. The sink gets its last call before this returns.
     */
    @Override
    public synchronized void close() {
        if (stats != null) {
            return;
        }
        try {
            cupti.cuptiActivityFlushAll(cupti.CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
            for (int kind : enabled) {
                cupti.cuptiActivityDisable(kind);
            }
            cupti.cuptiActivityFlushAll(cupti.CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
            cupti.cuptiActivityFlushPeriod(0);
            // a forced flush hands every buffer back; should CUPTI deliver some on its own thread after
            // returning, wait for them (bounded) so the sink sees everything before close returns
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (buffersCompleted.get() < buffersHandedOut.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            clockAtStop = measureClock();
        } catch (Throwable ignored) {
            // stopping a probe never fails its host
        }
        stopping = true;
        completed.offer(new long[] {0, 0});
        try {
            decoderThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current = null;
        buffers.close();
        stats = new Stats(buffersCompleted.get(), decoded, skipped, undecodable, cuptiDropped.get(),
                noBufferRequests.get(), walkCheck, clockAtStart, clockAtStop, buffers.leftWithCupti());
    }

    /** Null before {@link #close()}. */
    public Stats stats() {
        return stats;
    }

    private static String error(int rc) {
        try (PointerPointer<BytePointer> text = new PointerPointer<>(1)) {
            if (cupti.cuptiGetResultString(rc, text) == cupti.CUPTI_SUCCESS && text.get(0) != null) {
                return new BytePointer(text.get(0)).getString() + " (" + rc + ")";
            }
        } catch (Throwable ignored) {
            // fall through to the number
        }
        return "CUPTI error " + rc;
    }
}
