package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns parsed trace events into capture rows: processes, threads and tracks (THREAD per (pid, tid),
 * GPU_STREAM / GPU_ANNOTATION per (device, stream)), slices from X and matched B/E, instants,
 * counters, flows, names from metadata; counts everything else as loss. Runs on the thread that owns
 * the {@link CaptureWriter}.
 */
final class CaptureBuilder {
    private static final int MAX_PENDING_FLOWS = 1 << 19;

    private final CaptureWriter w;

    private final Map<String, Long> syntheticIds = new HashMap<>();
    private final Map<Long, String> syntheticNames = new HashMap<>();
    private final Map<Long, Integer> processes = new HashMap<>();
    private final LongPairIntMap threads = new LongPairIntMap();
    private final LongPairIntMap threadTracks = new LongPairIntMap();
    private final LongPairIntMap gpuTracks = new LongPairIntMap();
    private final LongPairIntMap annotationTracks = new LongPairIntMap();
    /** (pid, tid) of GPU events → their GPU stream track, so that flow ends there land on it. */
    private final LongPairIntMap gpuAliases = new LongPairIntMap();
    private final Map<String, Integer> counterTracks = new HashMap<>();
    private long lastPid = Long.MIN_VALUE;
    private long lastTid = Long.MIN_VALUE;
    private int lastThreadTrack;

    private final List<ArrayDeque<Open>> stacks = new ArrayList<>();
    private final LinkedHashMap<String, FlowEnd> pendingFlows = new LinkedHashMap<>();
    private long nextSyntheticFlowId = 1L << 40;

    long events;
    long slices;
    long instants;
    long counterPoints;
    long flows;
    long metadata;
    long firstTs = Long.MAX_VALUE;
    long lastEnd = Long.MIN_VALUE;
    final Map<String, long[]> loss = new LinkedHashMap<>();
    final Map<String, String> lossExamples = new HashMap<>();

    // the event being handled, with pid/tid resolved to numbers
    private TraceEvent e;
    private long pid;
    private long tid;

    CaptureBuilder(CaptureWriter writer) {
        this.w = writer;
    }

    void accept(TraceEvent event) {
        events++;
        e = event;
        if (e.notAnObject != null) {
            countLoss("malformed event: not a JSON object", e.describe());
            return;
        }
        pid = e.pidName != null ? syntheticId(e.pidName) : e.pid;
        tid = e.tidName != null ? syntheticId(e.tidName) : e.tid;
        if (e.oversizedArg != null) {
            countLoss("argument value too large to keep (over 4 MiB of JSON)", e.describe() + " arg '"
                    + e.oversizedArg + "'");
        }
        if (e.ph != 'M' && e.hasTs) {
            if (e.ts < firstTs) {
                firstTs = e.ts;
            }
            long end = e.hasDur ? e.ts + e.dur : e.ts;
            if (end > lastEnd) {
                lastEnd = end;
            }
        }
        if (e.ph == 0) {
            countLoss("malformed event: no 'ph'", e.describe());
            return;
        }
        switch (e.ph) {
            case 'X':
                if (!e.hasTs) {
                    countLoss("malformed event: no 'ts'", e.describe());
                } else if (!e.hasDur) {
                    countLoss("malformed event: 'X' without 'dur'", e.describe());
                } else if (e.dur < 0) {
                    countLoss("malformed event: negative 'dur'", e.describe());
                } else {
                    completeSlice();
                }
                break;
            case 'B':
            case 'E':
            case 'i':
            case 'I':
            case 'C':
                if (!e.hasTs) {
                    countLoss("malformed event: no 'ts'", e.describe());
                } else if (e.ph == 'B') {
                    begin();
                } else if (e.ph == 'E') {
                    end();
                } else if (e.ph == 'C') {
                    counter();
                } else {
                    instant();
                }
                break;
            case 'M':
                metadata();
                break;
            case 's':
            case 't':
            case 'f':
                if (!e.hasTs) {
                    countLoss("malformed event: no 'ts'", e.describe());
                } else if (e.idText == null) {
                    countLoss("malformed event: flow without 'id'", e.describe());
                } else {
                    flow();
                }
                break;
            default:
                countLoss("unsupported phase '" + e.phase() + "'", e.describe());
        }
    }

    private long syntheticId(String text) {
        Long id = syntheticIds.get(text);
        if (id == null) {
            id = ChromeTraceImporter.SYNTHETIC_ID_BASE + syntheticIds.size();
            syntheticIds.put(text, id);
            syntheticNames.put(id, text);
        }
        return id;
    }

    // ---- slices -------------------------------------------------------------------------------

    private void completeSlice() {
        Category category = ChromeCategories.of(e.cat, e.name);
        boolean annotation = ChromeCategories.GPU_USER_ANNOTATION.equals(e.cat);
        int track = sliceTrack(category, annotation);
        if (e.cat != null && !e.cat.equals(ChromeCategories.canonicalCat(category, annotation, e.name))) {
            e.args.put("cat", e.cat);
        }
        long argsId = w.args(e.args);
        w.slice(track, e.ts, e.dur, w.string(nameOrEmpty()), category, 0, -1,
                e.hasCorrelation ? e.correlation : -1, argsId);
        slices++;
    }

    private String nameOrEmpty() {
        return e.name == null ? "" : e.name;
    }

    private int sliceTrack(Category category, boolean annotation) {
        if (ChromeCategories.PROFILER_SESSION.equals(e.cat)) {
            // Kineto's "Trace" spans the whole profiling session: a row of its own, not thread work
            return sessionTracks.computeIfAbsent(pid, p -> w.track(TrackKind.ASYNC, process(), null, null, null,
                    "profiler session"));
        }
        if (annotation) {
            int d = gpuDevice();
            long s = gpuStream();
            int track = annotationTracks.get(d, s);
            if (track == 0) {
                track = w.track(TrackKind.GPU_ANNOTATION, process(), null, d, s, "stream " + s + " annotations");
                annotationTracks.put(d, s, track);
            }
            return track;
        }
        if (category.isGpuActivity() || (category == Category.SYNC && e.hasDevice)) {
            int d = gpuDevice();
            long s = gpuStream();
            int track = gpuTracks.get(d, s);
            if (track == 0) {
                track = w.track(TrackKind.GPU_STREAM, process(), null, d, s, "stream " + s);
                gpuTracks.put(d, s, track);
            }
            if (gpuAliases.get(pid, tid) == 0) {
                gpuAliases.put(pid, tid, track);
            }
            return track;
        }
        return threadTrack();
    }

    /** args.device, else the numeric pid (Kineto's GPU pids are the device numbers). */
    private int gpuDevice() {
        long d = e.hasDevice ? e.device : pid;
        return d < Integer.MIN_VALUE || d > Integer.MAX_VALUE ? -1 : (int) d;
    }

    /** args.stream, else the tid (the 2021 schema's "stream 7" included). */
    private long gpuStream() {
        if (e.hasStream) {
            return e.stream;
        }
        if (e.tidName != null && e.tidName.startsWith("stream ")) {
            try {
                return Long.parseLong(e.tidName.substring(7).trim());
            } catch (NumberFormatException ex) {
                return tid;
            }
        }
        return tid;
    }

    /** The track a point event (instant, flow end) at (pid, tid) belongs on. */
    private final java.util.Map<Long, Integer> sessionTracks = new java.util.HashMap<>();

    private int pointTrack() {
        int gpu = gpuAliases.get(pid, tid);
        return gpu != 0 ? gpu : threadTrack();
    }

    private int threadTrack() {
        if (pid == lastPid && tid == lastTid && lastThreadTrack != 0) {
            return lastThreadTrack;
        }
        int track = threadTracks.get(pid, tid);
        if (track == 0) {
            int processId = process();
            track = w.track(TrackKind.THREAD, processId, thread(processId), null, null, null);
            threadTracks.put(pid, tid, track);
        }
        lastPid = pid;
        lastTid = tid;
        lastThreadTrack = track;
        return track;
    }

    private int process() {
        Integer id = processes.get(pid);
        if (id == null) {
            id = w.process(pid, syntheticNames.get(pid));
            processes.put(pid, id);
        }
        return id;
    }

    private int thread(int processId) {
        int id = threads.get(pid, tid);
        if (id == 0) {
            id = w.thread(processId, tid, syntheticNames.get(tid));
            threads.put(pid, tid, id);
        }
        return id;
    }

    private void begin() {
        int key = threadTrack();
        while (stacks.size() <= key) {
            stacks.add(null);
        }
        ArrayDeque<Open> stack = stacks.get(key);
        if (stack == null) {
            stack = new ArrayDeque<>();
            stacks.set(key, stack);
        }
        Category category = ChromeCategories.of(e.cat, e.name);
        boolean annotation = ChromeCategories.GPU_USER_ANNOTATION.equals(e.cat);
        int track = sliceTrack(category, annotation);
        ArgSet copy = new ArgSet();
        for (ArgSet.Arg a : e.args.args()) {
            copyArg(copy, a);
        }
        stack.push(new Open(track, e.ts, e.name, e.cat, category, annotation, copy,
                e.hasCorrelation ? e.correlation : -1, stack.size(), e.index, e.offset));
    }

    private void end() {
        int key = threadTrack();
        ArrayDeque<Open> stack = key < stacks.size() ? stacks.get(key) : null;
        if (stack == null || stack.isEmpty()) {
            countLoss("unmatched 'E' (no open 'B' on its thread)", e.describe());
            return;
        }
        Open open = stack.pop();
        for (ArgSet.Arg a : e.args.args()) { // the end's args are merged in, as the trace viewer does
            copyArg(open.args, a);
        }
        long corr = open.correlation >= 0 ? open.correlation : e.hasCorrelation ? e.correlation : -1;
        if (open.cat != null && !open.cat.equals(
                ChromeCategories.canonicalCat(open.category, open.annotation, open.name))) {
            open.args.put("cat", open.cat);
        }
        long duration = Math.max(0, e.ts - open.startNs);
        w.slice(open.track, open.startNs, duration, w.string(open.name == null ? "" : open.name), open.category,
                open.depth, -1, corr, w.args(open.args));
        slices++;
    }

    private static void copyArg(ArgSet to, ArgSet.Arg a) {
        Object v = a.value();
        if (v instanceof Long l) {
            to.put(a.key(), l);
        } else if (v instanceof Double d) {
            to.put(a.key(), d);
        } else {
            to.put(a.key(), (String) v);
        }
    }

    // ---- instants, counters, metadata ---------------------------------------------------------------

    private void instant() {
        int track = pointTrack();
        if (e.cat != null) {
            e.args.put("cat", e.cat);
        }
        if (e.hasCorrelation) {
            e.args.put("correlation", e.correlation);
        }
        w.instant(track, e.ts, w.string(nameOrEmpty()), w.args(e.args));
        instants++;
    }

    private void counter() {
        String base = nameOrEmpty();
        if (e.idText != null) {
            base = base + " id: " + e.idText;
        }
        if (e.hasCorrelation) {
            e.args.put("correlation", e.correlation);
        }
        boolean any = false;
        for (ArgSet.Arg a : e.args.args()) {
            String key = a.key();
            if (key.startsWith("@")) {
                continue;
            }
            Object v = a.value();
            double value;
            if (v instanceof Long l) {
                value = l;
            } else if (v instanceof Double d) {
                value = d;
            } else {
                countLoss("counter series with a non-numeric value", e.describe() + " series '" + key + "'");
                continue;
            }
            String trackName = "value".equals(key) ? base : base + " " + key;
            String trackKey = pid + "\u0000" + trackName;
            Integer track = counterTracks.get(trackKey);
            if (track == null) {
                track = w.track(TrackKind.COUNTER, process(), null, null, null, trackName);
                counterTracks.put(trackKey, track);
            }
            w.counter(track, e.ts, value);
            counterPoints++;
            any = true;
        }
        if (!any && e.args.isEmpty()) {
            countLoss("counter event without values", e.describe());
        }
    }

    private void metadata() {
        String n = nameOrEmpty();
        switch (n) {
            case "process_name": {
                String value = stringArg("name");
                if (value != null && e.hasPid) {
                    w.processName(process(), value);
                }
                metadata++;
                break;
            }
            case "thread_name": {
                String value = stringArg("name");
                if (value != null && e.hasPid && e.hasTid) {
                    w.threadName(thread(process()), value);
                }
                metadata++;
                break;
            }
            case "process_sort_index":
            case "thread_sort_index":
            case "process_labels":
                metadata++; // display hints: consumed
                break;
            default:
                countLoss("unsupported metadata '" + n + "'", e.describe());
        }
    }

    private String stringArg(String key) {
        for (ArgSet.Arg a : e.args.args()) {
            if (a.key().equals(key)) {
                return String.valueOf(a.value());
            }
        }
        return null;
    }

    // ---- flows --------------------------------------------------------------------------------

    private void flow() {
        int track = pointTrack();
        String key = (e.cat == null ? "" : e.cat) + '\u0000' + e.idText;
        FlowEnd here = new FlowEnd(e.ph, track, e.ts, w.string(nameOrEmpty()), w.string(e.cat == null ? "" : e.cat),
                flowId(e.idText));
        FlowEnd other = pendingFlows.remove(key);
        if (e.ph == 'f') {
            if (other != null && other.phase != 'f') {
                writeFlow(other, here);
            } else {
                if (other != null) {
                    writeHalfFlow(other); // two finishes in a row: the first had no start
                }
                park(key, here);
            }
        } else if (e.ph == 's') {
            if (other != null && other.phase == 'f') {
                writeFlow(here, other); // the finish came first in the file
            } else {
                if (other != null) {
                    writeHalfFlow(other); // a start (or step) that never finished
                }
                park(key, here);
            }
        } else { // 't': ends the step before it and starts the next
            if (other != null && other.phase != 'f') {
                writeFlow(other, here);
            } else if (other != null) {
                writeFlow(here, other);
                return;
            }
            park(key, here);
        }
    }

    private void park(String key, FlowEnd end) {
        pendingFlows.put(key, end);
        if (pendingFlows.size() > MAX_PENDING_FLOWS) { // bounded memory: the oldest stays half-open
            Iterator<FlowEnd> oldest = pendingFlows.values().iterator();
            FlowEnd stale = oldest.next();
            oldest.remove();
            writeHalfFlow(stale);
        }
    }

    private void writeHalfFlow(FlowEnd end) {
        if (end.phase == 'f') {
            writeFlow(null, end);
        } else {
            writeFlow(end, null);
        }
    }

    private void writeFlow(FlowEnd from, FlowEnd to) {
        FlowEnd any = from != null ? from : to;
        w.flow(any.flowId, any.nameId, any.catId, from == null ? 0 : from.track, from == null ? 0 : from.ts,
                to == null ? 0 : to.track, to == null ? 0 : to.ts);
        flows++;
    }

    private long flowId(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16) & Long.MAX_VALUE;
            }
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ex) {
            // not numeric: a fresh id
        }
        return nextSyntheticFlowId++;
    }

    /** Counts what is still open at the end of the trace and writes the flows that lack an end. */
    void finish() {
        for (ArrayDeque<Open> stack : stacks) {
            if (stack != null) {
                for (Open open : stack) {
                    countLoss("unmatched 'B' (no 'E' before the end of the trace)", "event #" + open.index
                            + " at byte " + open.offset + " ph='B' name='" + open.name + "'");
                }
            }
        }
        for (FlowEnd end : pendingFlows.values()) {
            writeHalfFlow(end);
        }
        pendingFlows.clear();
    }

    private void countLoss(String kind, String example) {
        long[] n = loss.get(kind);
        if (n == null) {
            loss.put(kind, new long[] {1});
            lossExamples.put(kind, example);
        } else {
            n[0]++;
        }
    }

    private static final class Open {
        final int track;
        final long startNs;
        final String name;
        final String cat;
        final Category category;
        final boolean annotation;
        final ArgSet args;
        final long correlation;
        final int depth;
        final long index;
        final long offset;

        Open(int track, long startNs, String name, String cat, Category category, boolean annotation, ArgSet args,
             long correlation, int depth, long index, long offset) {
            this.track = track;
            this.startNs = startNs;
            this.name = name;
            this.cat = cat;
            this.category = category;
            this.annotation = annotation;
            this.args = args;
            this.correlation = correlation;
            this.depth = depth;
            this.index = index;
            this.offset = offset;
        }
    }

    private record FlowEnd(char phase, int track, long ts, int nameId, int catId, long flowId) {
    }
}
