package dev.throughline.storage.importer.chrome;

import com.fasterxml.jackson.core.JsonToken;
import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureSchema;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.importer.ImportProgress;
import dev.throughline.storage.importer.ImportResult;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Streams a Chrome Trace Event Format file (JSON or gzip-compressed JSON, detected by its magic bytes;
 * object form with {@code traceEvents} or a bare array) into a capture, one event at a time: memory
 * does not grow with the file. Kineto (PyTorch profiler) traces, including the 2021 schema, map onto
 * our model: kernels, copies and sets on GPU stream tracks, runtime calls linked to them by
 * correlation id, {@code ProfilerStep#N} as steps. Every event that is not imported is counted in the
 * capture's loss table (source {@value #LOSS_SOURCE}) with an example naming its index and byte offset.
 *
 * <p>For files of 1 MiB and more, two threads: one parses the JSON (and inflates gzip) into reusable
 * event slots, the calling thread writes them into the {@link CaptureWriter}, with a bounded queue of
 * slot batches between them. Smaller files are read on the calling thread alone.
 *
 * <p>How fields are kept so that {@code ChromeTraceExporter} can write them back: the raw {@code cat}
 * as arg {@code "cat"} when it is not the canonical cat of the slice's category
 * ({@link ChromeCategories#canonicalCat}); {@code args.correlation} in the slice's correlation id;
 * other top-level event fields (id, bp, tts, tdur, cname, s, ...) as args named {@code "@field"};
 * nested JSON values, booleans and null as their compact JSON text; the trace's other top-level keys
 * as meta {@code trace.KEY}. String pids/tids ({@code "Spans"}, {@code "PyTorch Profiler"}) get
 * numeric ids from {@value #SYNTHETIC_ID_BASE} up and are named after the string.
 *
 * <p>Bad input is a {@link CaptureFormatException} with a one-line message naming the file, the byte
 * offset (into the decompressed JSON) and the event index; the caller aborts the writer.
 */
public final class ChromeTraceImporter {
    /** The loss table's source for this importer. */
    public static final String LOSS_SOURCE = "chrome-import";
    /** meta {@code source_format}. */
    public static final String SOURCE_FORMAT = "chrome-trace";
    /** meta keys of the span over all timestamped events (the trace viewer's notion; slices alone may cover less). */
    public static final String META_EVENTS_FIRST_TS = "source_first_ts_ns";
    public static final String META_EVENTS_LAST_END = "source_last_end_ns";
    /** Numeric ids for string pids and tids start here (fits a uint32, far above Linux's pid_max). */
    public static final long SYNTHETIC_ID_BASE = 0x7FFF0000L;

    /** Set to true to parse on the calling thread whatever the file size (for comparisons and debugging). */
    public static final String INLINE_PROPERTY = "throughline.import.inline";

    private static final int PROGRESS_EVERY = 1 << 16;
    private static final long PIPELINE_MIN_BYTES = 1 << 20;
    private static final int BATCH = 512;
    private static final int BATCHES = 8;

    /**
     * Imports {@code source} into {@code writer} (which the caller closes, or aborts when this throws).
     * @param progress told every ~64k events and at the end, on the calling thread; may be null
     */
    public ImportResult importInto(Path source, CaptureWriter writer, ImportProgress progress)
            throws CaptureFormatException, IOException {
        ImportProgress report = progress == null ? ImportProgress.NONE : progress;
        EventParser parser = new EventParser(source);
        CaptureBuilder builder = new CaptureBuilder(writer);
        if (Files.size(source) >= PIPELINE_MIN_BYTES && !Boolean.getBoolean(INLINE_PROPERTY)) {
            pipelined(source, parser, builder, report);
        } else {
            inline(parser, builder, report);
        }
        builder.finish();
        return finish(source, writer, parser, builder, report);
    }

    /** Small files: parse and write on the calling thread, one reused event slot. */
    private static void inline(EventParser parser, CaptureBuilder builder, ImportProgress report)
            throws CaptureFormatException, IOException {
        TraceEvent slot = new TraceEvent();
        long[] nextReport = {PROGRESS_EVERY};
        try {
            parser.parse(new EventParser.Slots() {
                @Override
                public TraceEvent slot() {
                    return slot;
                }

                @Override
                public void commit() {
                    builder.accept(slot);
                    if (builder.events >= nextReport[0]) {
                        report.update(parser.fileBytesRead(), parser.fileSize(), builder.events);
                        nextReport[0] = builder.events + PROGRESS_EVERY;
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("import interrupted");
        }
    }

    /** Large files: a parsing thread fills batches of event slots, the calling thread writes them. */
    private static void pipelined(Path source, EventParser parser, CaptureBuilder builder, ImportProgress report)
            throws CaptureFormatException, IOException {
        Pipe pipe = new Pipe();
        Throwable[] failure = new Throwable[1];
        Thread parsing = new Thread(() -> {
            try {
                parser.parse(pipe);
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                pipe.end();
            }
        }, "chrome-import " + source.getFileName());
        parsing.setDaemon(true);
        parsing.start();
        boolean drained = false;
        try {
            long nextReport = PROGRESS_EVERY;
            while (true) {
                Batch batch = pipe.full.take();
                for (int i = 0; i < batch.count; i++) {
                    builder.accept(batch.events[i]);
                }
                if (builder.events >= nextReport) {
                    report.update(parser.fileBytesRead(), parser.fileSize(), builder.events);
                    nextReport = builder.events + PROGRESS_EVERY;
                }
                if (batch.last) {
                    break;
                }
                batch.count = 0;
                pipe.free.put(batch);
            }
            parsing.join();
            drained = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("import of " + source + " interrupted");
        } finally {
            if (!drained) {
                parsing.interrupt(); // it waits for a free batch, or reads: either ends it
                joinQuietly(parsing);
            }
        }
        rethrow(failure[0]); // happens-before: join()
    }

    private static ImportResult finish(Path source, CaptureWriter writer, EventParser parser, CaptureBuilder builder,
                                       ImportProgress report) {
        Map<String, Long> loss = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : builder.loss.entrySet()) {
            writer.loss(LOSS_SOURCE, e.getKey(), e.getValue()[0], builder.lossExamples.get(e.getKey()));
            loss.merge(e.getKey(), e.getValue()[0], Long::sum);
        }
        for (Map.Entry<String, long[]> e : parser.loss().entrySet()) {
            writer.loss(LOSS_SOURCE, e.getKey(), e.getValue()[0], parser.lossExamples().get(e.getKey()));
            loss.merge(e.getKey(), e.getValue()[0], Long::sum);
        }
        for (Map.Entry<String, String> e : parser.traceMeta().entrySet()) {
            writer.meta("trace." + e.getKey(), e.getValue());
        }
        writer.meta(CaptureSchema.META_SOURCE, source.toAbsolutePath().normalize().toString());
        writer.meta(CaptureSchema.META_SOURCE_FORMAT, SOURCE_FORMAT);
        boolean any = builder.firstTs != Long.MAX_VALUE;
        if (any) {
            writer.meta(META_EVENTS_FIRST_TS, Long.toString(builder.firstTs));
            writer.meta(META_EVENTS_LAST_END, Long.toString(builder.lastEnd));
        }
        report.update(parser.fileBytesRead(), parser.fileSize(), builder.events);
        return new ImportResult(builder.events, builder.slices, builder.instants, builder.counterPoints, builder.flows,
                builder.metadata, loss, parser.jsonBytes(), any ? builder.firstTs : 0, any ? builder.lastEnd : 0);
    }

    private static void rethrow(Throwable t) throws CaptureFormatException, IOException {
        if (t == null) {
            return;
        }
        if (t instanceof CaptureFormatException c) {
            throw c;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t instanceof InterruptedException) {
            throw new InterruptedIOException("import interrupted");
        }
        throw new IOException(t);
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A batch of event slots travelling from the parsing thread to the writing one and back. */
    private static final class Batch {
        final TraceEvent[] events = new TraceEvent[BATCH];
        int count;
        boolean last;
    }

    /** Hands full batches to the writer; both queues can hold every batch, so a put never blocks. */
    private static final class Pipe implements EventParser.Slots {
        final ArrayBlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES + 1);
        final ArrayBlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES + 1);
        private Batch current;

        Pipe() {
            for (int i = 0; i < BATCHES; i++) {
                free.add(new Batch());
            }
            current = free.poll();
        }

        @Override
        public TraceEvent slot() throws InterruptedException {
            if (current.count == BATCH) {
                full.add(current);
                current = free.take();
            }
            TraceEvent e = current.events[current.count];
            if (e == null) {
                e = new TraceEvent();
                current.events[current.count] = e;
            }
            return e;
        }

        @Override
        public void commit() {
            current.count++;
        }

        /** The parser is done (or failed): the events committed so far go, marked last. */
        void end() {
            current.last = true;
            full.add(current);
        }
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        switch (t) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case END_ARRAY:
                return "']'";
            case END_OBJECT:
                return "'}'";
            case FIELD_NAME:
                return "a key";
            default:
                return t.toString();
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                if (!space) {
                    sb.append(' ');
                    space = true;
                }
            } else {
                sb.append(c);
                space = false;
            }
        }
        return sb.toString().trim();
    }

    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            appendEscaped(sb, s.charAt(i));
        }
        sb.append('"');
    }

    static void appendQuoted(StringBuilder sb, char[] c, int offset, int length) {
        sb.append('"');
        for (int i = offset, end = offset + length; i < end; i++) {
            appendEscaped(sb, c[i]);
        }
        sb.append('"');
    }

    private static void appendEscaped(StringBuilder sb, char ch) {
        switch (ch) {
            case '"':
                sb.append("\\\"");
                break;
            case '\\':
                sb.append("\\\\");
                break;
            case '\n':
                sb.append("\\n");
                break;
            case '\r':
                sb.append("\\r");
                break;
            case '\t':
                sb.append("\\t");
                break;
            default:
                if (ch < 0x20) {
                    sb.append(String.format("\\u%04x", (int) ch));
                } else {
                    sb.append(ch);
                }
        }
    }
}
