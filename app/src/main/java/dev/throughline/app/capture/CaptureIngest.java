package dev.throughline.app.capture;

import dev.throughline.protocol.CounterFrame;
import dev.throughline.protocol.Frame;
import dev.throughline.protocol.Handshake;
import dev.throughline.protocol.LossFrame;
import dev.throughline.protocol.MetaFrame;
import dev.throughline.protocol.SampleFrame;
import dev.throughline.protocol.SliceFrame;
import dev.throughline.protocol.StringFrame;
import dev.throughline.protocol.ThreadFrame;
import dev.throughline.protocol.UnknownFrame;
import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer thread's side of the collector: turns each connection's frames into {@link CaptureWriter} rows. Only the
 * writer thread calls it. Per connection: one process row, a thread and a thread track per tid, a counter track per
 * counter name, and the connection's string ids mapped to the capture's.
 */
final class CaptureIngest {
    private final CaptureWriter writer;
    private final String host;
    private final AtomicLong steps;
    private final AtomicLong lastStepNs;
    private final AtomicLong events;
    private final AtomicLong drops;
    private final ArgSet args = new ArgSet();

    CaptureIngest(CaptureWriter writer, String host, AtomicLong steps, AtomicLong lastStepNs, AtomicLong events,
                  AtomicLong drops) {
        this.writer = writer;
        this.host = host;
        this.steps = steps;
        this.lastStepNs = lastStepNs;
        this.events = events;
        this.drops = drops;
    }

    /**
     * One agent process: its rows in the capture. An agent that reconnects (after a cut) under the same pid gets the
     * same process, threads and tracks, and its cumulative loss counts continue where they left off.
     */
    static final class AgentProcess {
        final int processId;
        final Map<Long, Integer> threadTracks = new HashMap<>();
        final Map<Long, Integer> threads = new HashMap<>();
        final Map<String, Integer> counterTracks = new HashMap<>();
        final Map<Long, Integer> streamTracks = new HashMap<>(); // device << 32 | stream
        final Map<Long, Integer> annotationTracks = new HashMap<>(); // device << 32 | stream
        final Map<String, Long> lastLoss = new HashMap<>();

        AgentProcess(int processId) {
            this.processId = processId;
        }
    }

    /** One connection's state; created by {@link #open}, owned by the writer thread. */
    static final class Connection {
        final Handshake handshake;
        final AgentProcess process;
        final int processId;
        final Map<Integer, String> texts = new HashMap<>();
        final Map<Integer, Integer> writerIds = new HashMap<>();
        final Map<Long, Integer> threadTracks;
        final Map<Long, Integer> threads;
        final Map<Long, Integer> streamTracks;
        final Map<Long, Integer> annotationTracks;
        final Map<Integer, Integer> counterTracks = new HashMap<>(); // this connection's name id -> track
        boolean bye;

        Connection(Handshake handshake, AgentProcess process) {
            this.handshake = handshake;
            this.process = process;
            this.processId = process.processId;
            this.threadTracks = process.threadTracks;
            this.threads = process.threads;
            this.streamTracks = process.streamTracks;
            this.annotationTracks = process.annotationTracks;
        }
    }

    private final Map<String, AgentProcess> processes = new HashMap<>();

    Connection open(Handshake h) {
        AgentProcess process = processes.get(processKey(h));
        if (process == null) {
            int processId = writer.process(h.pid(), h.name());
            writer.processDetails(processId, host, h.kind(), h.cmdline(), null);
            process = new AgentProcess(processId);
            processes.put(processKey(h), process);
        }
        return new Connection(h, process);
    }

    /** Agents are told apart by kind and pid (a forked worker has its own pid, a reconnecting agent the same). */
    static String processKey(Handshake h) {
        return h.kind() + ":" + h.pid();
    }

    void accept(Connection c, Frame frame) {
        switch (frame.type()) {
            case Frame.STRING -> {
                StringFrame s = (StringFrame) frame;
                c.texts.put(s.id(), s.text());
                c.writerIds.remove(s.id()); // a redefinition wins from here on
            }
            case Frame.THREAD -> thread(c, (ThreadFrame) frame);
            case Frame.SLICE -> slice(c, (SliceFrame) frame);
            case Frame.COUNTER -> counter(c, (CounterFrame) frame);
            case Frame.SAMPLE -> sample(c, (SampleFrame) frame);
            case Frame.LOSS -> loss(c, (LossFrame) frame);
            case Frame.BYE -> c.bye = true;
            case Frame.META -> meta(c, (MetaFrame) frame);
            default -> writer.loss("agent-protocol", "unknown frame type " + frame.type(), 1,
                    c.handshake.kind() + " pid " + c.handshake.pid() + ": skipped " + ((UnknownFrame) frame).skipped() + " bytes");
        }
    }

    /** Writes what the ingest counted itself; call once, before the writer closes. */
    void finish() {
        // everything is written as it arrives; nothing is held back
    }

    /** A stack sample: frames root first become a callsite chain, the leaf's callsite is the sample's. */
    private void sample(Connection c, SampleFrame s) {
        events.incrementAndGet();
        int callsite = 0;
        int depth = 0;
        for (SampleFrame.Location l : s.frames()) {
            String function = text(c, l.functionId(), "SAMPLE function");
            if (function == null) {
                return;
            }
            String file = l.fileId() == 0 ? null : text(c, l.fileId(), "SAMPLE file");
            callsite = writer.callsite(callsite, writer.frame(function, file, l.line()), depth++);
        }
        if (callsite == 0) {
            return; // an empty stack says nothing
        }
        threadTrack(c, s.tid(), null);
        writer.sample(c.threads.get(s.tid()), s.tsNs(), callsite, s.weight());
    }

    private void thread(Connection c, ThreadFrame t) {
        String name = text(c, t.nameId(), "THREAD name");
        if (name == null) {
            return;
        }
        Integer threadId = c.threads.get(t.tid());
        if (threadId == null) {
            threadTrack(c, t.tid(), name);
        } else {
            writer.threadName(threadId, name);
        }
    }

    private int threadTrack(Connection c, long tid, String name) {
        Integer track = c.threadTracks.get(tid);
        if (track != null) {
            return track;
        }
        int threadId = writer.thread(c.processId, tid, name);
        c.threads.put(tid, threadId);
        int id = writer.track(TrackKind.THREAD, c.processId, threadId, null, null, null);
        c.threadTracks.put(tid, id);
        return id;
    }

    private void slice(Connection c, SliceFrame s) {
        events.incrementAndGet();
        Category category;
        try {
            category = Category.byId(s.category());
        } catch (IllegalArgumentException e) {
            writer.loss("collector", "unknown slice category", 1, "category " + s.category() + " from " + who(c));
            drops.incrementAndGet();
            return;
        }
        int name = id(c, s.nameId(), "SLICE name");
        if (name == 0) {
            return;
        }
        long argsId = 0;
        long device = -1;
        long stream = -1;
        if (!s.args().isEmpty()) {
            args.clear();
            for (SliceFrame.Arg a : s.args()) {
                String key = text(c, a.keyId(), "SLICE arg key");
                if (key == null) {
                    return;
                }
                switch (a.tag()) {
                    case SliceFrame.Arg.TAG_LONG -> {
                        args.put(key, a.longValue());
                        if (key.equals("device")) {
                            device = a.longValue();
                        } else if (key.equals("stream")) {
                            stream = a.longValue();
                        }
                    }
                    case SliceFrame.Arg.TAG_DOUBLE -> args.put(key, a.doubleValue());
                    default -> {
                        String v = text(c, a.stringId(), "SLICE arg value");
                        if (v == null) {
                            return;
                        }
                        args.put(key, v);
                    }
                }
            }
            argsId = writer.args(args);
        }
        boolean onGpu = device >= 0 && device <= Integer.MAX_VALUE && stream >= 0;
        int track = onGpu && category.isGpuActivity() ? streamTrack(c, (int) device, stream)
                : onGpu && category == Category.USER ? annotationTrack(c, (int) device, stream)
                : threadTrack(c, s.tid(), null);
        writer.slice(track, s.startNs(), s.durNs(), name, category, 0, -1, s.correlation(), argsId);
        if (category == Category.STEP) {
            lastStepNs.set(s.durNs());
            steps.incrementAndGet();
        }
    }

    /**
     * GPU work (kernel, memcpy, memset) whose args carry integer {@code device} and {@code stream} goes on that
     * stream's GPU track of the process, as imported traces do, so the GPU summaries see it; without them, on the
     * slice's thread track.
     */
    private int streamTrack(Connection c, int device, long stream) {
        return gpuTrack(c.streamTracks, TrackKind.GPU_STREAM, c, device, stream, "stream " + stream);
    }

    /**
     * A user range projected onto a GPU stream (torch's {@code gpu_user_annotation}: a {@code record_function}
     * range's span on the GPU, from its first kernel to its last): on the stream's annotation track, as the Kineto
     * importer puts it, never among the stream's kernels (it spans them: as a kernel it counted their time twice).
     */
    private int annotationTrack(Connection c, int device, long stream) {
        return gpuTrack(c.annotationTracks, TrackKind.GPU_ANNOTATION, c, device, stream, "stream " + stream + " annotations");
    }

    private int gpuTrack(Map<Long, Integer> tracks, TrackKind kind, Connection c, int device, long stream, String name) {
        long key = ((long) device << 32) ^ stream;
        Integer track = tracks.get(key);
        if (track == null) {
            track = writer.track(kind, c.processId, null, device, stream, name);
            tracks.put(key, track);
        }
        return track;
    }

    private void counter(Connection c, CounterFrame f) {
        events.incrementAndGet();
        Integer track = c.counterTracks.get(f.nameId());
        if (track == null) {
            String name = text(c, f.nameId(), "COUNTER name");
            if (name == null) {
                return;
            }
            track = c.process.counterTracks.get(name);
            if (track == null) {
                track = writer.track(TrackKind.COUNTER, c.processId, null, null, null, name);
                c.process.counterTracks.put(name, track);
            }
            c.counterTracks.put(f.nameId(), track);
        }
        writer.counter(track, f.tsNs(), f.value());
    }

    private void loss(Connection c, LossFrame f) {
        String kind = text(c, f.kindId(), "LOSS kind");
        if (kind == null) {
            return;
        }
        // counts are cumulative per agent process, also across its reconnects
        long last = c.process.lastLoss.getOrDefault(kind, 0L);
        long delta = f.count() - last;
        if (delta > 0) {
            c.process.lastLoss.put(kind, f.count());
            writer.loss("agent " + c.handshake.kind(), kind, delta, null);
            drops.addAndGet(delta);
        }
    }

    /** An agent's fact about itself, kept per process: {@code agent.<kind>.<pid>.<key>}. */
    private void meta(Connection c, MetaFrame f) {
        String key = text(c, f.keyId(), "META key");
        String value = text(c, f.valueId(), "META value");
        if (key != null && value != null) {
            writer.meta("agent." + c.handshake.kind() + "." + c.handshake.pid() + "." + key, value);
        }
    }

    private int id(Connection c, int connectionId, String what) {
        Integer id = c.writerIds.get(connectionId);
        if (id != null) {
            return id;
        }
        String text = text(c, connectionId, what);
        if (text == null) {
            return 0;
        }
        int w = writer.string(text);
        c.writerIds.put(connectionId, w);
        return w;
    }

    /** The text of a connection's string id; an undefined id drops the event and counts it. */
    private String text(Connection c, int connectionId, String what) {
        String text = c.texts.get(connectionId);
        if (text == null) {
            writer.loss("collector", "undefined string id", 1,
                    what + " refers to string " + Integer.toUnsignedString(connectionId) + " before a STRING frame defined it ("
                            + who(c) + ")");
            drops.incrementAndGet();
        }
        return text;
    }

    private static String who(Connection c) {
        return c.handshake.kind() + " pid " + c.handshake.pid();
    }
}
