package dev.throughline.storage.importer.chrome;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.importer.DetectedFormat;
import dev.throughline.storage.importer.TraceFormat;
import dev.throughline.storage.importer.TraceImporters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Chrome trace file's JSON with jackson's streaming parser into {@link TraceEvent} slots, one
 * event at a time; keeps the trace's other top-level keys. Knows where it is (byte offset into the
 * decompressed JSON, event index, top-level key) and turns every way the input can be wrong into a
 * one-line {@link CaptureFormatException}.
 */
final class EventParser {
    /** Where parsed events go: fill {@link #slot()}, then {@link #commit()} it. */
    interface Slots {
        TraceEvent slot() throws InterruptedException;

        void commit() throws InterruptedException;
    }

    private static final int MAX_JSON_ARG = 4 << 20;
    private static final int MAX_META_VALUE = 16 << 20;
    private static final int MAX_STRING = 64 << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING).maxNumberLength(1000).maxNestingDepth(1000).build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final Path file;
    private SourceInput input;
    private JsonParser p;
    private volatile long fileBytesRead;
    private long fileSize;
    private long jsonBytes;

    private long index = -1;
    private boolean insideEvent;
    private boolean inEventsArray;
    private boolean bareArray;
    private String currentTopKey;
    private TraceEvent e;

    private final StringCache names = new StringCache(1 << 20);
    private final StringCache cats = new StringCache(4096);
    private final StringBuilder json = new StringBuilder(256);
    private final Map<String, String> extraKeys = new HashMap<>();
    private final Map<String, String> traceMeta = new LinkedHashMap<>();
    private final Map<String, long[]> loss = new LinkedHashMap<>();
    private final Map<String, String> lossExamples = new HashMap<>();
    private long identityValue;

    EventParser(Path file) {
        this.file = file;
    }

    /** Bytes of the file read so far; safe to read from another thread. */
    long fileBytesRead() {
        return fileBytesRead;
    }

    long fileSize() {
        return fileSize;
    }

    /** Bytes of JSON parsed (after decompression), once {@link #parse} returned. */
    long jsonBytes() {
        return jsonBytes;
    }

    /** The trace's top-level keys other than traceEvents, as text (JSON text for non-strings). */
    Map<String, String> traceMeta() {
        return traceMeta;
    }

    /** What the parser itself dropped (top-level keys, trailing data), by kind: {count}. */
    Map<String, long[]> loss() {
        return loss;
    }

    Map<String, String> lossExamples() {
        return lossExamples;
    }

    /** Parses the whole file into {@code slots}; the file is closed on return. */
    void parse(Slots slots) throws CaptureFormatException, IOException, InterruptedException {
        try {
            input = SourceInput.open(file);
        } catch (SourceInput.BadGzipException ex) {
            throw gzipError(ex);
        }
        fileSize = input.fileSize();
        if (fileSize == 0) {
            input.close();
            throw error("empty file (0 bytes); expected Chrome trace JSON (an array of events or an object"
                    + " with \"traceEvents\")");
        }
        try (SourceInput in = input; JsonParser parser = JSON.createParser(in.json())) {
            p = parser;
            parseDocument(slots);
            jsonBytes = p.currentLocation().getByteOffset();
        } catch (SourceInput.BadGzipException ex) {
            throw gzipError(ex);
        } catch (JsonEOFException ex) {
            throw eofError(ex);
        } catch (StreamConstraintsException ex) {
            throw error("at byte " + byteOffset(ex) + where() + ": " + ChromeTraceImporter.oneLine(ex.getOriginalMessage()));
        } catch (JsonParseException ex) {
            throw isEndOfInput(ex) ? eofError(ex) : syntaxError(ex);
        } catch (JsonProcessingException ex) {
            throw error("invalid JSON at byte " + byteOffset(ex) + where() + ": "
                    + ChromeTraceImporter.oneLine(ex.getOriginalMessage()));
        } finally {
            fileBytesRead = input.fileBytesRead();
        }
    }

    // ---- document structure -----------------------------------------------------------------

    private void parseDocument(Slots slots) throws IOException, CaptureFormatException, InterruptedException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw error(input.gzip() ? "the gzip data decompresses to nothing but whitespace; expected Chrome trace JSON"
                    : "the file holds only whitespace; expected Chrome trace JSON");
        }
        if (t == JsonToken.START_ARRAY) {
            bareArray = true;
            try {
                parseEvents(slots);
            } catch (JsonParseException ex) {
                // the JSON Array Format allows the closing ']' to be missing (a trace written as it ran)
                if (insideEvent || !isEndOfInput(ex)) {
                    throw ex;
                }
                return;
            }
        } else if (t == JsonToken.START_OBJECT) {
            parseTopObject(slots);
        } else {
            throw error("the top-level JSON value is " + ChromeTraceImporter.describe(t) + " (at byte " + tokenOffset()
                    + "); expected an array of trace events or an object with \"traceEvents\"");
        }
        try {
            if (p.nextToken() != null) {
                countLoss("trailing JSON after the trace ignored", "at byte " + tokenOffset());
            }
        } catch (JsonProcessingException ex) {
            countLoss("trailing data after the trace ignored", "at byte " + byteOffset(ex));
        }
    }

    private void parseTopObject(Slots slots) throws IOException, CaptureFormatException, InterruptedException {
        boolean sawEvents = false;
        List<String> keys = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            currentTopKey = key;
            JsonToken v = p.nextToken();
            if ("traceEvents".equals(key)) {
                if (v != JsonToken.START_ARRAY) {
                    throw error("\"traceEvents\" at byte " + tokenOffset() + " is " + ChromeTraceImporter.describe(v)
                            + "; expected an array of trace events");
                }
                sawEvents = true;
                parseEvents(slots);
            } else {
                keys.add(key);
                topLevelValue(key, v);
            }
            currentTopKey = null;
        }
        if (t != JsonToken.END_OBJECT) {
            throw error("unexpected " + ChromeTraceImporter.describe(t) + " at byte " + tokenOffset()
                    + " in the top-level object");
        }
        if (!sawEvents) {
            throw error("the top-level JSON object has no \"traceEvents\" array"
                    + (keys.isEmpty() ? " (it is empty)" : " (keys: " + String.join(", ", keys) + ")")
                    + "; expected a Chrome trace");
        }
    }

    private void topLevelValue(String key, JsonToken v) throws IOException {
        if ("systemTraceEvents".equals(key) || "powerTraceAsString".equals(key)) {
            long at = tokenOffset();
            p.skipChildren(); // a string is skipped by the next nextToken() without being buffered
            countLoss("top-level \"" + key + "\" not imported", "at byte " + at);
            return;
        }
        String text;
        switch (v) {
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                text = p.getText();
                break;
            default:
                long at = tokenOffset();
                json.setLength(0);
                if (!appendJson(json, MAX_META_VALUE)) {
                    countLoss("top-level \"" + key + "\" too large to keep (over 16 MiB of JSON)", "at byte " + at);
                    return;
                }
                text = json.toString();
                shrinkJsonBuffer();
        }
        traceMeta.put(key, text);
    }

    private void parseEvents(Slots slots) throws IOException, CaptureFormatException, InterruptedException {
        inEventsArray = true;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                break;
            }
            index++;
            e = slots.slot();
            if (t == JsonToken.START_OBJECT) {
                insideEvent = true;
                e.reset(index, tokenOffset());
                parseEvent();
                insideEvent = false;
            } else {
                e.reset(index, tokenOffset());
                e.notAnObject = ChromeTraceImporter.describe(t);
                p.skipChildren();
            }
            slots.commit();
            if ((index & 0x3ff) == 0) {
                fileBytesRead = input.fileBytesRead();
            }
        }
        inEventsArray = false;
    }

    // ---- one event ----------------------------------------------------------------------------

    private void parseEvent() throws IOException, CaptureFormatException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "ph":
                    readPhase(v);
                    break;
                case "name":
                    e.name = readName(v, names);
                    break;
                case "cat":
                    e.cat = readName(v, cats);
                    break;
                case "pid": {
                    String text = readIdentity("pid", v);
                    e.hasPid = true;
                    e.pid = identityValue;
                    e.pidName = text;
                    break;
                }
                case "tid": {
                    String text = readIdentity("tid", v);
                    e.hasTid = true;
                    e.tid = identityValue;
                    e.tidName = text;
                    break;
                }
                case "ts":
                    e.ts = readMicros("ts", v);
                    e.hasTs = true;
                    break;
                case "dur":
                    e.dur = readMicros("dur", v);
                    e.hasDur = true;
                    break;
                case "args":
                    readArgs(v);
                    break;
                case "id":
                    if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT
                            || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        e.idText = p.getText();
                    }
                    putValue(extraKey(field), v);
                    break;
                case "id2": {
                    String text = putValue(extraKey(field), v); // {"local": "0x1"}: its JSON text is the id
                    if (e.idText == null && text != null) {
                        e.idText = "id2:" + text;
                    }
                    break;
                }
                default:
                    putValue(extraKey(field), v);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw error("event #" + index + " at byte " + e.offset + ": unexpected " + ChromeTraceImporter.describe(t));
        }
    }

    private void readPhase(JsonToken v) throws IOException, CaptureFormatException {
        if (v != JsonToken.VALUE_STRING) {
            throw typeError("ph", "a string", v);
        }
        if (p.getTextLength() == 1) {
            e.ph = p.getTextCharacters()[p.getTextOffset()];
        } else {
            e.ph = '?';
            e.phText = p.getText();
        }
    }

    private String readName(JsonToken v, StringCache cache) throws IOException, CaptureFormatException {
        switch (v) {
            case VALUE_STRING:
                return cache.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return p.getText();
            case VALUE_NULL:
                return null;
            default:
                throw typeError(p.currentName(), "a string", v);
        }
    }

    /** A pid or tid: null with {@link #identityValue} set for a number (or a numeric string), else its text. */
    private String readIdentity(String field, JsonToken v) throws IOException, CaptureFormatException {
        identityValue = 0;
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            identityValue = p.getLongValue();
            return null;
        }
        if (v == JsonToken.VALUE_STRING) {
            char[] c = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            if (len > 0 && len <= 18) {
                int i = off;
                int end = off + len;
                boolean negative = c[i] == '-';
                if (negative) {
                    i++;
                }
                long value = 0;
                boolean digits = i < end;
                for (; i < end; i++) {
                    char ch = c[i];
                    if (ch < '0' || ch > '9') {
                        digits = false;
                        break;
                    }
                    value = value * 10 + (ch - '0');
                }
                // "5555" is pid 5555; "007" or "-0" stay names so that export writes them back the same
                if (digits && (len == 1 || c[off] != '0') && !(negative && c[off + 1] == '0')) {
                    identityValue = negative ? -value : value;
                    return null;
                }
            }
            return names.get(c, off, len);
        }
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        throw typeError(field, "a number or a string", v);
    }

    private long readMicros(String field, JsonToken v) throws IOException, CaptureFormatException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw typeError(field, "a number", v);
        }
        try {
            return TraceTime.microsToNanos(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        } catch (TraceTime.BadNumberException ex) {
            throw error("event #" + index + " at byte " + tokenOffset() + ": '" + field + "' " + ex.getMessage());
        }
    }

    private void readArgs(JsonToken v) throws IOException, CaptureFormatException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            putValue(extraKey("args"), v); // not an object: keep what it was
            return;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                long n = p.getLongValue();
                switch (key) {
                    case "correlation":
                        e.hasCorrelation = true;
                        e.correlation = n;
                        continue; // stored in the slice's correlation column
                    case "device":
                        e.hasDevice = true;
                        e.device = n;
                        break;
                    case "stream":
                        e.hasStream = true;
                        e.stream = n;
                        break;
                    default:
                        break;
                }
                e.args.put(key, n);
            } else {
                if (value == JsonToken.VALUE_STRING && "stream".equals(key)) {
                    parseStreamText(); // ROCm: "stream": "0x0"
                }
                putValue(key, value);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw error("event #" + index + " at byte " + tokenOffset() + ": unexpected "
                    + ChromeTraceImporter.describe(t) + " in args");
        }
    }

    private void parseStreamText() throws IOException {
        String s = p.getText();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                e.stream = Long.parseUnsignedLong(s.substring(2), 16);
            } else {
                e.stream = Long.parseLong(s);
            }
            e.hasStream = true;
        } catch (NumberFormatException ex) {
            // not a stream number: stays an ordinary string arg
        }
    }

    /**
     * Adds the current value token under {@code key}: long, double, string or JSON text.
     * @return the text stored for a string or a nested value, else null
     */
    private String putValue(String key, JsonToken v) throws IOException {
        String text = null;
        switch (v) {
            case VALUE_STRING:
                text = p.getText();
                e.args.put(key, text);
                break;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    e.args.put(key, p.getText()); // exact digits rather than a rounded double
                } else {
                    e.args.put(key, p.getLongValue());
                }
                break;
            case VALUE_NUMBER_FLOAT:
                e.args.put(key, p.getDoubleValue());
                break;
            case VALUE_TRUE:
                e.args.put(key, "true");
                break;
            case VALUE_FALSE:
                e.args.put(key, "false");
                break;
            case VALUE_NULL:
                e.args.put(key, "null");
                break;
            default: {
                json.setLength(0);
                if (appendJson(json, MAX_JSON_ARG)) {
                    text = json.toString();
                    e.args.put(key, text);
                } else if (e.oversizedArg == null) {
                    e.oversizedArg = key;
                }
                shrinkJsonBuffer();
            }
        }
        return text;
    }

    private void shrinkJsonBuffer() {
        if (json.capacity() > 1 << 16) {
            json.setLength(0);
            json.trimToSize();
        }
    }

    private String extraKey(String field) {
        String k = extraKeys.get(field);
        if (k == null) {
            k = "@" + field;
            extraKeys.put(field, k);
        }
        return k;
    }

    /**
     * Appends the value at the current token (object, array or scalar) as compact JSON, consuming it.
     * @return false when it exceeded {@code cap} characters (the value is consumed either way)
     */
    private boolean appendJson(StringBuilder sb, int cap) throws IOException {
        int depth = 0;
        boolean comma = false;
        boolean fits = true;
        JsonToken t = p.currentToken();
        while (true) {
            if (fits && sb.length() > cap) {
                fits = false;
                sb.setLength(0);
            }
            switch (t) {
                case FIELD_NAME:
                    if (fits) {
                        if (comma) {
                            sb.append(',');
                        }
                        ChromeTraceImporter.appendQuoted(sb, p.currentName());
                        sb.append(':');
                    }
                    comma = false;
                    break;
                case START_OBJECT:
                case START_ARRAY:
                    if (fits) {
                        if (comma) {
                            sb.append(',');
                        }
                        sb.append(t == JsonToken.START_OBJECT ? '{' : '[');
                    }
                    depth++;
                    comma = false;
                    break;
                case END_OBJECT:
                case END_ARRAY:
                    if (fits) {
                        sb.append(t == JsonToken.END_OBJECT ? '}' : ']');
                    }
                    depth--;
                    comma = true;
                    break;
                case VALUE_STRING:
                    if (fits) {
                        if (comma) {
                            sb.append(',');
                        }
                        ChromeTraceImporter.appendQuoted(sb, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    }
                    comma = true;
                    break;
                default: // numbers, true, false, null
                    if (fits) {
                        if (comma) {
                            sb.append(',');
                        }
                        sb.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    }
                    comma = true;
            }
            if (depth == 0) {
                return fits;
            }
            t = p.nextToken();
            if (t == null) {
                throw new JsonEOFException(p, null, "Unexpected end-of-input in a JSON value");
            }
        }
    }

    // ---- loss and errors ------------------------------------------------------------------------

    private void countLoss(String kind, String example) {
        long[] n = loss.get(kind);
        if (n == null) {
            loss.put(kind, new long[] {1});
            lossExamples.put(kind, example);
        } else {
            n[0]++;
        }
    }

    private long tokenOffset() {
        return p.currentTokenLocation().getByteOffset();
    }

    private static long byteOffset(JsonProcessingException ex) {
        return ex.getLocation() == null ? -1 : ex.getLocation().getByteOffset();
    }

    private String where() {
        if (insideEvent) {
            return " (in event #" + index + ")";
        }
        if (inEventsArray) {
            return index < 0 ? " (before the first event)" : " (after event #" + index + ")";
        }
        if (currentTopKey != null) {
            return " (in top-level key \"" + currentTopKey + "\")";
        }
        return "";
    }

    private CaptureFormatException error(String detail) {
        return new CaptureFormatException(file, ChromeTraceImporter.oneLine(detail));
    }

    private CaptureFormatException typeError(String field, String expected, JsonToken found) {
        return error("event #" + index + " at byte " + tokenOffset() + ": '" + field + "' must be " + expected
                + ", found " + ChromeTraceImporter.describe(found));
    }

    private CaptureFormatException gzipError(SourceInput.BadGzipException ex) {
        String detail = "not valid gzip data at compressed byte " + ex.compressedOffset + ": " + ex.getMessage();
        if (ex.truncated) {
            detail += p == null ? "" : "; the JSON read so far ends at byte " + p.currentLocation().getByteOffset() + where();
        } else {
            detail += "; the file starts with the gzip magic (1f 8b) but is corrupt";
        }
        return new CaptureFormatException(file, ChromeTraceImporter.oneLine(detail), ex);
    }

    /** Jackson reports the end of the input inside a value as JsonEOFException, between array entries not. */
    private static boolean isEndOfInput(JsonParseException ex) {
        String m = ex.getOriginalMessage();
        return ex instanceof JsonEOFException || (m != null && m.startsWith("Unexpected end-of-input"));
    }

    private CaptureFormatException eofError(JsonParseException ex) {
        long at = byteOffset(ex);
        String expected;
        if (insideEvent) {
            expected = "the rest of the event and its closing '}'";
        } else if (inEventsArray) {
            expected = "',' and the next event, or ']' closing the event array";
        } else if (currentTopKey != null) {
            expected = "the rest of top-level key \"" + currentTopKey + "\"";
        } else if (bareArray) {
            expected = "']' closing the event array";
        } else {
            expected = "the next key or '}' closing the top-level object";
        }
        String in = insideEvent ? " (in event #" + index + ")"
                : inEventsArray && index >= 0 ? " (after event #" + index + ")" : "";
        return new CaptureFormatException(file, ChromeTraceImporter.oneLine("unexpected end of input at byte " + at + in
                + ": expected " + expected + " (the file is truncated)"), ex);
    }

    private CaptureFormatException syntaxError(JsonParseException ex) {
        long at = byteOffset(ex);
        if (index < 0 && !inEventsArray && currentTopKey == null && at <= 1024) {
            return new CaptureFormatException(file, ChromeTraceImporter.oneLine("not JSON at byte " + tokenOffset() + ": "
                    + looksLike(ex) + "; expected Chrome trace JSON ('[' or '{')"), ex);
        }
        return new CaptureFormatException(file, ChromeTraceImporter.oneLine("invalid JSON at byte " + at + where() + ": "
                + ex.getOriginalMessage()), ex);
    }

    /** What the file seems to be instead, from its first bytes. */
    private String looksLike(JsonParseException ex) {
        try {
            DetectedFormat d = TraceImporters.detect(file);
            String prefix = file + ": ";
            String text = d.description().startsWith(prefix) ? d.description().substring(prefix.length())
                    : d.description();
            if (d.format() == TraceFormat.UNKNOWN || d.format() == TraceFormat.THROUGHLINE_CAPTURE) {
                return text;
            }
        } catch (IOException ignored) {
            // fall back to the parser's words
        }
        String m = ex.getOriginalMessage();
        int cut = m == null ? -1 : m.indexOf(':');
        return m == null ? "unrecognized content" : cut > 0 ? m.substring(0, cut) : m;
    }
}
