package dev.throughline.storage.exporter.chrome;

import dev.throughline.storage.exporter.AtomicOutput;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import dev.throughline.storage.importer.chrome.ChromeCategories;
import dev.throughline.storage.importer.chrome.TraceTime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a capture as Chrome Trace Event Format JSON (object form: {@code traceEvents},
 * {@code displayTimeUnit} and the source trace's other top-level keys, from meta {@code trace.*}),
 * streaming, for Perfetto, chrome://tracing and the Kineto tools (HTA, TraceLens).
 *
 * <p>Processes and threads become {@code process_name}/{@code thread_name} metadata events; slices
 * become complete ({@code X}) events with Kineto category names (or the raw cat the importer kept),
 * their correlation id back in {@code args.correlation}; GPU tracks are {@code pid = device},
 * {@code tid = stream}; instants are {@code i}, counters {@code C} (one series {@code value} per
 * counter track), flows {@code s}/{@code f}. Times are exact decimal microseconds (1234567 ns →
 * {@code 1234.567}). Arguments that hold JSON text (nested objects/arrays, booleans, null) are
 * written back as JSON; args named {@code @field} become top-level event fields again.
 */
public final class ChromeTraceExporter {
    private static final JsonFactory JSON = new JsonFactory();
    /** Fields the exporter writes itself: an "@field" arg of the same name is not written again. */
    private static final Set<String> OWN_FIELDS = Set.of("ph", "cat", "name", "pid", "tid", "ts", "dur", "args");

    /** Exports the capture file {@code capture} to {@code target} ({@code .gz} → gzip). */
    public ExportResult export(Path capture, Path target, boolean overwrite) throws CaptureFormatException, IOException {
        try (CaptureReader reader = CaptureReader.open(capture)) {
            return export(reader, target, overwrite);
        }
    }

    /**
     * Writes to a temporary sibling of {@code target} and moves it into place, so a failed export
     * leaves nothing behind; gzip-compressed when the name ends with {@code .gz}.
     */
    public ExportResult export(CaptureReader reader, Path target, boolean overwrite) throws IOException {
        return AtomicOutput.write(target, overwrite, out -> writeTo(reader, out));
    }

    /** Writes the JSON to {@code out} (not closed; flushed). */
    public ExportResult writeTo(CaptureReader reader, OutputStream out) throws IOException {
        try {
            return new Run(reader).write(out);
        } catch (SQLException e) {
            throw new IOException("cannot read capture " + reader.file() + ": " + e.getMessage(), e);
        }
    }

    private static final class Run {
        private final CaptureReader reader;
        private final ExportQueries queries;
        private List<String> strings;
        private final Map<Integer, ExportQueries.ProcessRow> processes = new HashMap<>();
        private final Map<Integer, ExportQueries.ThreadRow> threads = new HashMap<>();
        private ExportQueries.TrackRow[] tracks;
        private long[] trackPid;
        private long[] trackTid;
        private boolean[] trackAnnotation;
        private JsonGenerator g;
        private final StringBuilder number = new StringBuilder(32);
        /** Stored times are relative to this (meta time_origin_ns); the export writes absolute ones. */
        private final long origin;
        private long slices;
        private long instants;
        private long counters;
        private long flowEvents;
        private long metadata;

        Run(CaptureReader reader) {
            this.reader = reader;
            this.queries = new ExportQueries(reader.connection());
            this.origin = reader.timeOriginNs();
        }

        ExportResult write(OutputStream out) throws IOException, SQLException {
            strings = queries.strings();
            for (ExportQueries.ProcessRow p : queries.processes()) {
                processes.put(p.id(), p);
            }
            for (ExportQueries.ThreadRow t : queries.threads()) {
                threads.put(t.id(), t);
            }
            List<ExportQueries.TrackRow> trackList = queries.tracks();
            int max = 0;
            for (ExportQueries.TrackRow t : trackList) {
                max = Math.max(max, t.id());
            }
            tracks = new ExportQueries.TrackRow[max + 1];
            trackPid = new long[max + 1];
            trackTid = new long[max + 1];
            trackAnnotation = new boolean[max + 1];
            for (ExportQueries.TrackRow t : trackList) {
                tracks[t.id()] = t;
                placeTrack(t);
            }

            BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 20);
            g = JSON.createGenerator(buffered, JsonEncoding.UTF8);
            g.setPrettyPrinter(new OneEventPerLine());
            g.writeStartObject();
            writeTopLevelMeta();
            g.writeArrayFieldStart("traceEvents");
            writeNames();
            queries.forEachSlice(strings, this::slice);
            queries.forEachInstant(strings, this::instant);
            queries.forEachCounter(this::counter);
            queries.forEachFlow(this::flow);
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            buffered.flush();
            return new ExportResult(slices, instants, counters, flowEvents, metadata);
        }

        /** Where a track goes in Chrome's (pid, tid) space. */
        private void placeTrack(ExportQueries.TrackRow t) {
            ExportQueries.ProcessRow p = t.processId() == null ? null : processes.get(t.processId());
            ExportQueries.ThreadRow th = t.threadId() == null ? null : threads.get(t.threadId());
            TrackKind kind = kindOf(t);
            long pid = p == null ? 0 : p.pid();
            long tid = th == null ? pid : th.tid();
            if (kind == TrackKind.GPU_STREAM || kind == TrackKind.GPU_ANNOTATION) {
                pid = t.device() != null ? t.device() : pid;
                tid = t.stream() != null ? t.stream() : 0;
                trackAnnotation[t.id()] = kind == TrackKind.GPU_ANNOTATION;
            } else if (kind == TrackKind.COUNTER) {
                tid = 0;
            }
            trackPid[t.id()] = pid;
            trackTid[t.id()] = tid;
        }

        private static TrackKind kindOf(ExportQueries.TrackRow t) {
            try {
                return TrackKind.byLabel(t.kind());
            } catch (IllegalArgumentException e) {
                return TrackKind.THREAD;
            }
        }

        private void writeTopLevelMeta() throws IOException {
            Map<String, String> trace = new TreeMap<>();
            for (Map.Entry<String, String> e : reader.meta().entrySet()) {
                if (e.getKey().startsWith("trace.") && e.getKey().length() > 6) {
                    trace.put(e.getKey().substring(6), e.getValue());
                }
            }
            String unit = trace.remove("displayTimeUnit");
            trace.remove("traceEvents");
            g.writeStringField("displayTimeUnit", unit == null ? "ms" : unit);
            for (Map.Entry<String, String> e : trace.entrySet()) {
                g.writeFieldName(e.getKey());
                writeMetaValue(e.getValue());
            }
        }

        /** A trace.* meta value: JSON text (number, object, array, literal) goes back as JSON, anything else as a string. */
        private void writeMetaValue(String text) throws IOException {
            if (isJsonValue(text, true)) {
                g.writeRawValue(text);
            } else {
                g.writeString(text);
            }
        }

        private void writeNames() throws IOException {
            Set<Long> namedPids = new HashSet<>();
            Set<String> namedThreads = new HashSet<>();
            for (ExportQueries.ProcessRow p : processes.values().stream()
                    .sorted((a, b) -> Integer.compare(a.id(), b.id())).toList()) {
                if (p.name() != null && namedPids.add(p.pid())) {
                    metadataEvent("process_name", p.pid(), 0, p.name());
                }
            }
            for (ExportQueries.ThreadRow t : threads.values().stream()
                    .sorted((a, b) -> Integer.compare(a.id(), b.id())).toList()) {
                ExportQueries.ProcessRow p = processes.get(t.processId());
                long pid = p == null ? 0 : p.pid();
                if (t.name() != null && namedThreads.add(pid + "/" + t.tid())) {
                    metadataEvent("thread_name", pid, t.tid(), t.name());
                }
            }
            for (ExportQueries.TrackRow t : tracks) {
                if (t == null) {
                    continue;
                }
                TrackKind kind = kindOf(t);
                if (kind == TrackKind.GPU_STREAM || kind == TrackKind.GPU_ANNOTATION) {
                    long pid = trackPid[t.id()];
                    long tid = trackTid[t.id()];
                    if (namedPids.add(pid)) {
                        metadataEvent("process_name", pid, 0, "GPU " + pid);
                    }
                    if (namedThreads.add(pid + "/" + tid)) {
                        metadataEvent("thread_name", pid, tid, "stream " + tid);
                    }
                } else if (kind != TrackKind.COUNTER && t.nameId() > 0) {
                    long pid = trackPid[t.id()];
                    long tid = trackTid[t.id()];
                    if (namedThreads.add(pid + "/" + tid)) {
                        metadataEvent("thread_name", pid, tid, strings.get(t.nameId()));
                    }
                }
            }
        }

        private void metadataEvent(String kind, long pid, long tid, String value) throws IOException {
            g.writeStartObject();
            g.writeStringField("ph", "M");
            g.writeStringField("name", kind);
            g.writeNumberField("pid", pid);
            g.writeNumberField("tid", tid);
            g.writeObjectFieldStart("args");
            g.writeStringField("name", value);
            g.writeEndObject();
            g.writeEndObject();
            metadata++;
        }

        private void slice(int trackId, long startNs, long durNs, int nameId, int categoryId, long correlationId,
                           ExportQueries.Args args) throws IOException {
            Category category = Category.byId(categoryId);
            String name = strings.get(nameId);
            boolean annotation = trackId < trackAnnotation.length && trackAnnotation[trackId];
            String cat = rawCat(args);
            if (cat == null) {
                cat = ChromeCategories.canonicalCat(category, annotation, name);
            }
            g.writeStartObject();
            g.writeStringField("ph", "X");
            g.writeStringField("cat", cat);
            g.writeStringField("name", name);
            writePidTid(trackId);
            writeTime("ts", origin + startNs);
            writeTime("dur", durNs);
            writeExtras(args, false);
            writeArgs(args, correlationId);
            g.writeEndObject();
            slices++;
        }

        private void instant(int trackId, long tsNs, int nameId, ExportQueries.Args args) throws IOException {
            g.writeStartObject();
            g.writeStringField("ph", "i");
            String cat = rawCat(args);
            if (cat != null) {
                g.writeStringField("cat", cat);
            }
            g.writeStringField("name", strings.get(nameId));
            writePidTid(trackId);
            writeTime("ts", origin + tsNs);
            Object scope = valueOf(args, "@s");
            g.writeStringField("s", scope instanceof String s && (s.equals("g") || s.equals("p")) ? s : "t");
            writeExtras(args, true);
            writeArgs(args, -1);
            g.writeEndObject();
            instants++;
        }

        private void counter(int trackId, long tsNs, double value) throws IOException {
            ExportQueries.TrackRow t = trackId < tracks.length ? tracks[trackId] : null;
            String name = t == null || t.nameId() <= 0 ? "counter " + trackId : strings.get(t.nameId());
            g.writeStartObject();
            g.writeStringField("ph", "C");
            g.writeStringField("name", name);
            writePidTid(trackId);
            writeTime("ts", origin + tsNs);
            g.writeObjectFieldStart("args");
            g.writeFieldName("value");
            writeDouble(value);
            g.writeEndObject();
            g.writeEndObject();
            counters++;
        }

        private void flow(long flowId, int nameId, int categoryId, int fromTrack, long fromTs, int toTrack, long toTs)
                throws IOException {
            String name = nameId > 0 ? strings.get(nameId) : "flow";
            String cat = categoryId > 0 ? strings.get(categoryId) : "";
            if (fromTrack > 0) {
                flowEvent("s", flowId, name, cat, fromTrack, fromTs);
            }
            if (toTrack > 0) {
                flowEvent("f", flowId, name, cat, toTrack, toTs);
            }
        }

        private void flowEvent(String ph, long flowId, String name, String cat, int track, long ts) throws IOException {
            g.writeStartObject();
            g.writeStringField("ph", ph);
            g.writeNumberField("id", flowId);
            writePidTid(track);
            writeTime("ts", origin + ts);
            g.writeStringField("cat", cat);
            g.writeStringField("name", name);
            if ("f".equals(ph)) {
                g.writeStringField("bp", "e"); // binds to the enclosing slice, as Kineto writes it
            }
            g.writeEndObject();
            flowEvents++;
        }

        private void writePidTid(int trackId) throws IOException {
            boolean known = trackId > 0 && trackId < trackPid.length;
            g.writeNumberField("pid", known ? trackPid[trackId] : 0);
            g.writeNumberField("tid", known ? trackTid[trackId] : 0);
        }

        private void writeTime(String field, long ns) throws IOException {
            number.setLength(0);
            TraceTime.appendMicros(number, ns);
            g.writeFieldName(field);
            g.writeNumber(number.toString());
        }

        private void writeDouble(double v) throws IOException {
            if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) {
                g.writeNumber((long) v);
            } else {
                g.writeNumber(v);
            }
        }

        private static String rawCat(ExportQueries.Args args) {
            Object v = valueOf(args, "cat");
            return v instanceof String s ? s : null;
        }

        private static Object valueOf(ExportQueries.Args args, String key) {
            for (int i = 0; i < args.size(); i++) {
                if (args.keys.get(i).equals(key)) {
                    return args.values.get(i);
                }
            }
            return null;
        }

        /** Args named "@field" were top-level fields of the source event. */
        private void writeExtras(ExportQueries.Args args, boolean scopeWritten) throws IOException {
            for (int i = 0; i < args.size(); i++) {
                String key = args.keys.get(i);
                if (key.length() > 1 && key.charAt(0) == '@') {
                    String field = key.substring(1);
                    if (!OWN_FIELDS.contains(field) && !(scopeWritten && field.equals("s"))) {
                        g.writeFieldName(field);
                        writeArgValue(args.values.get(i));
                    }
                }
            }
        }

        private void writeArgs(ExportQueries.Args args, long correlationId) throws IOException {
            boolean any = correlationId >= 0;
            for (int i = 0; i < args.size() && !any; i++) {
                String key = args.keys.get(i);
                any = !key.equals("cat") && !key.startsWith("@");
            }
            if (!any) {
                return;
            }
            g.writeObjectFieldStart("args");
            for (int i = 0; i < args.size(); i++) {
                String key = args.keys.get(i);
                if (key.equals("cat") || key.startsWith("@")) {
                    continue;
                }
                g.writeFieldName(key);
                writeArgValue(args.values.get(i));
            }
            if (correlationId >= 0) {
                g.writeNumberField("correlation", correlationId);
            }
            g.writeEndObject();
        }

        private void writeArgValue(Object v) throws IOException {
            if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else if (v == null) {
                g.writeNull();
            } else {
                String s = v.toString();
                if (isJsonValue(s, false)) {
                    g.writeRawValue(s);
                } else {
                    g.writeString(s);
                }
            }
        }
    }

    /**
     * Whether {@code text} is one complete JSON value that the importer stored as text: an object, an
     * array, true/false/null, and (for meta values, {@code numbers}) a number.
     */
    static boolean isJsonValue(String text, boolean numbers) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        boolean candidate = c == '[' || c == '{' || text.equals("true") || text.equals("false") || text.equals("null")
                || (numbers && (c == '-' || (c >= '0' && c <= '9')));
        if (!candidate) {
            return false;
        }
        if (text.equals("true") || text.equals("false") || text.equals("null")) {
            return true;
        }
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return false;
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                return false;
            }
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Compact JSON, but one trace event per line so the file can be read and diffed. */
    private static final class OneEventPerLine extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(isEventArray(g.getOutputContext()) ? ",\n" : ",");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (isEventArray(g.getOutputContext())) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (isEventArray(g.getOutputContext())) {
                g.writeRaw('\n');
            }
            g.writeRaw(']');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            JsonStreamContext ctx = g.getOutputContext();
            g.writeRaw(ctx.getParent() != null && ctx.getParent().inRoot() ? ",\n" : ",");
        }

        private static boolean isEventArray(JsonStreamContext ctx) {
            JsonStreamContext parent = ctx.getParent();
            return ctx.inArray() && parent != null && parent.inObject() && parent.getParent() != null
                    && parent.getParent().inRoot();
        }
    }
}
