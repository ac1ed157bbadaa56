package dev.throughline.storage.importer;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.importer.chrome.ChromeTraceImporter;
import dev.throughline.storage.importer.nsys.NsysSqliteImporter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Tells trace formats apart by their first bytes, and imports the ones we read into a capture. */
public final class TraceImporters {
    private static final int SNIFF = 4096;
    private static final byte[] SQLITE = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JFR = {'F', 'L', 'R', 0};

    private TraceImporters() {
    }

    /** What {@code file} is: sniffs the first bytes (decompressing the start of a gzip file), never the name. */
    public static DetectedFormat detect(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": not a regular file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF);
        }
        if (head.length == 0) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": empty file (0 bytes)");
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return detectGzip(file, head);
        }
        if (startsWith(head, SQLITE)) {
            return detectSqlite(file);
        }
        if (startsWith(head, JFR)) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": a JFR recording (no JFR importer yet)");
        }
        int first = firstNonBlank(head, head.length);
        if (first >= 0 && (head[first] == '[' || head[first] == '{')) {
            return new DetectedFormat(TraceFormat.CHROME_JSON, jsonDescription(file, "Chrome trace JSON"));
        }
        if (first < 0 && head.length < SNIFF) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": the file holds only whitespace");
        }
        return new DetectedFormat(TraceFormat.UNKNOWN, file + ": not a trace format Throughline reads (it starts with "
                + preview(head, head.length) + ")");
    }

    /**
     * True when {@code file} should be opened as a capture rather than imported: it is one, or it is a
     * SQLite file that no importer reads (opening it then says precisely why it is not a capture, e.g. a
     * newer schema, instead of "not a trace format").
     */
    public static boolean opensAsCapture(Path file) throws IOException {
        TraceFormat format = detect(file).format();
        if (format == TraceFormat.THROUGHLINE_CAPTURE) {
            return true;
        }
        if (format.importable() || !Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return startsWith(in.readNBytes(SQLITE.length), SQLITE);
        }
    }

    /** The file name a capture of {@code source} gets: its name without trace suffixes, plus {@code .tlcap}. */
    public static String captureName(Path source) {
        String name = source.getFileName().toString();
        String stripped = name.replaceAll("(\\.gz|\\.json|\\.pt\\.trace|\\.trace|\\.sqlite)+$", "");
        return (stripped.isBlank() ? "import" : stripped) + ".tlcap";
    }

    /**
     * Imports {@code source} into a new capture at {@code target}: the capture is complete when this
     * returns, and nothing is left at {@code target} (nor a temporary file) when it throws.
     */
    public static ImportResult importToCapture(Path source, Path target, boolean overwrite, ImportProgress progress)
            throws CaptureFormatException, IOException {
        DetectedFormat format = detect(source);
        if (format.format() == TraceFormat.THROUGHLINE_CAPTURE) {
            throw new CaptureFormatException(source, "already a Throughline capture: open it directly");
        }
        if (!format.format().importable()) {
            String d = format.description();
            String prefix = source + ": ";
            throw new CaptureFormatException(source, (d.startsWith(prefix) ? d.substring(prefix.length()) : d)
                    + (isSqlite(source) ? "; expected a Throughline capture or an Nsight Systems SQLite export"
                    + " ('nsys export --type sqlite')" : "; expected Chrome trace JSON (plain or gzip)"));
        }
        CaptureWriter writer = CaptureWriter.create(target, overwrite);
        try {
            ImportResult result = format.format() == TraceFormat.NSYS_SQLITE
                    ? new NsysSqliteImporter().importInto(source, writer, progress)
                    : new ChromeTraceImporter().importInto(source, writer, progress);
            writer.close();
            return result;
        } catch (CaptureFormatException | IOException | RuntimeException | Error e) {
            writer.abort();
            throw e;
        }
    }

    private static DetectedFormat detectGzip(Path file, byte[] head) throws IOException {
        byte[] out = new byte[SNIFF];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] compressed = in.readNBytes(1 << 16);
            int offset = gzipHeaderLength(compressed);
            if (offset < 0) {
                return new DetectedFormat(TraceFormat.UNKNOWN, file + ": not valid gzip data at compressed byte 0:"
                        + " bad gzip header (the file starts with the gzip magic 1f 8b)");
            }
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(compressed, offset, compressed.length - offset);
                n = inflater.inflate(out);
            } catch (DataFormatException e) {
                return new DetectedFormat(TraceFormat.UNKNOWN, file + ": not valid gzip data at compressed byte "
                        + (compressed.length - inflater.getRemaining()) + ": " + e.getMessage()
                        + " (the file starts with the gzip magic 1f 8b)");
            } finally {
                inflater.end();
            }
        }
        if (n == 0) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": gzip data that decompresses to nothing");
        }
        if (startsWith(out, JFR)) {
            return new DetectedFormat(TraceFormat.UNKNOWN, file + ": a gzip-compressed JFR recording (no JFR importer yet)");
        }
        int first = firstNonBlank(out, n);
        if (first >= 0 && (out[first] == '[' || out[first] == '{')) {
            return new DetectedFormat(TraceFormat.CHROME_JSON_GZIP,
                    jsonDescription(file, "gzip-compressed Chrome trace JSON"));
        }
        return new DetectedFormat(TraceFormat.UNKNOWN, file + ": gzip-compressed data that is not JSON (starts with "
                + preview(out, n) + "; a pprof profile? no importer for it yet)");
    }

    /** The length of a gzip member header (RFC 1952), or -1 when it is not one. */
    private static int gzipHeaderLength(byte[] b) {
        if (b.length < 10 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
            return -1;
        }
        int flags = b[3] & 0xff;
        int i = 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (i + 2 > b.length) {
                return -1;
            }
            i += 2 + ((b[i] & 0xff) | (b[i + 1] & 0xff) << 8);
        }
        if ((flags & 8) != 0) { // FNAME
            while (i < b.length && b[i] != 0) {
                i++;
            }
            i++;
        }
        if ((flags & 16) != 0) { // FCOMMENT
            while (i < b.length && b[i] != 0) {
                i++;
            }
            i++;
        }
        if ((flags & 2) != 0) { // FHCRC
            i += 2;
        }
        return i <= b.length ? i : -1;
    }

    private static DetectedFormat detectSqlite(Path file) {
        try (CaptureReader reader = CaptureReader.open(file)) {
            return new DetectedFormat(TraceFormat.THROUGHLINE_CAPTURE, file + ": a Throughline capture (schema version "
                    + reader.meta("schema_version") + ")");
        } catch (CaptureFormatException e) {
            String m = e.getMessage();
            if (m.contains("without a meta table") || m.contains("no schema_version")) {
                Optional<String> nsys = NsysSqliteImporter.describe(file);
                if (nsys.isPresent()) {
                    return new DetectedFormat(TraceFormat.NSYS_SQLITE, file + ": " + nsys.get());
                }
                return new DetectedFormat(TraceFormat.UNKNOWN, file + ": a SQLite database that is not a Throughline"
                        + " capture nor an Nsight Systems export (no Throughline meta table; no StringIds with"
                        + " CUPTI_ACTIVITY_KIND_*, NVTX_EVENTS or TARGET_INFO_* tables)");
            }
            return new DetectedFormat(TraceFormat.UNKNOWN, m);
        }
    }

    private static boolean isSqlite(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return startsWith(in.readNBytes(SQLITE.length), SQLITE);
        } catch (IOException e) {
            return false;
        }
    }

    /** JSON that opens with '[' or '{': read as a Chrome trace (Kineto may put large keys before traceEvents). */
    private static String jsonDescription(Path file, String what) {
        return file + ": " + what;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int firstNonBlank(byte[] b, int n) {
        int i = 0;
        if (n >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            i = 3; // UTF-8 byte order mark
        }
        for (; i < n; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
        }
        return -1;
    }

    private static String preview(byte[] b, int n) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(n, 16); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append(n > 16 ? "…\"" : "\"").toString();
    }
}
