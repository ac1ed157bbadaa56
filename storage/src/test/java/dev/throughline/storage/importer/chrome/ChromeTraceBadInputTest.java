package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.importer.CorpusFiles;
import dev.throughline.storage.importer.TraceImporters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input: one-line messages that name the file, the position and what was expected; and no
 * capture (nor its temporary .partial file) left in the output folder.
 */
class ChromeTraceBadInputTest {
    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void outputFolder() throws IOException {
        out = Files.createDirectory(dir.resolve("out"));
    }

    private String failImport(Path source) throws IOException {
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> TraceImporters.importToCapture(source, out.resolve("capture.tlcap"), false, null));
        String m = e.getMessage();
        assertTrue(m.startsWith(source.toString() + ": "), m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "nothing may be left in the output folder");
        }
        return m;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void truncatedJsonSaysWhereAndWhat() throws Exception {
        String json = "{\"traceEvents\":[\n{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1},\n"
                + "{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,\"tid\":1,\"ts\":2,\"du";
        String m = failImport(write("cut.json", json));
        assertTrue(m.contains("unexpected end of input at byte " + json.length() + " (in event #1)"), m);
        assertTrue(m.contains("expected the rest of the event"), m);
    }

    @Test
    void truncatedRealKinetoTraceSaysWhereAndWhat() throws Exception {
        byte[] whole;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(
                CorpusFiles.file("kineto/hta__critical_path_cuda_event_sync_event_sync_trace.json.gz")))) {
            whole = in.readAllBytes();
        }
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        String m = failImport(write("half.json", cut));
        assertTrue(m.matches(".*unexpected end of input at byte " + cut.length + " \\(in event #\\d+\\): expected .*"), m);
        // the same, gzip-compressed: the JSON inside ends early
        String g = failImport(write("half.json.gz", gzip(cut)));
        assertTrue(g.contains("unexpected end of input at byte " + cut.length), g);
    }

    @Test
    void truncatedBetweenEventsOfTheObjectFormExpectsMore() throws Exception {
        String json = "{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1},";
        String m = failImport(write("cut2.json", json));
        assertTrue(m.contains("unexpected end of input at byte " + json.length() + " (after event #0)"), m);
        assertTrue(m.contains("expected ',' and the next event, or ']'"), m);
    }

    @Test
    void gzipGarbageSaysCompressedByte() throws Exception {
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        bytes[2] = 8;
        bytes[3] = 0;
        Arrays.fill(bytes, 4, 10, (byte) 0);
        String m = failImport(write("garbage.json.gz", bytes));
        assertTrue(m.matches(".*: not valid gzip data at compressed byte \\d+: .*"), m);
    }

    @Test
    void truncatedGzipSaysCompressedByte() throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"ph\":\"X\",\"name\":\"n").append(i)
                    .append("\",\"pid\":1,\"tid\":1,\"ts\":").append(i).append(",\"dur\":1}");
        }
        byte[] gz = gzip(json.append("]").toString().getBytes(StandardCharsets.UTF_8));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        String m = failImport(write("cut.json.gz", cut));
        assertTrue(m.contains("not valid gzip data at compressed byte "), m);
        assertTrue(m.contains("truncated"), m);
    }

    @Test
    void aStringWhereTheTimestampBelongs() throws Exception {
        String json = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1},\n"
                + "{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":\"abc\",\"dur\":1}]";
        String m = failImport(write("type.json", json));
        int at = json.indexOf("\"abc\"");
        assertTrue(m.endsWith("event #1 at byte " + at + ": 'ts' must be a number, found a string"), m);
    }

    @Test
    void anObjectWhereTheDurationBelongs() throws Exception {
        String json = "{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":{}}]}";
        String m = failImport(write("type2.json", json));
        assertTrue(m.endsWith("event #0 at byte " + json.indexOf("{}") + ": 'dur' must be a number, found an object"), m);
    }

    @Test
    void emptyFile() throws Exception {
        String m = failImport(write("empty.json", new byte[0]));
        assertTrue(m.contains("empty file (0 bytes)"), m);
    }

    @Test
    void whitespaceOnly() throws Exception {
        String m = failImport(write("blank.json", "  \n\t "));
        assertTrue(m.contains("only whitespace"), m);
    }

    @Test
    void notJsonAtAll() throws Exception {
        String m = failImport(write("notes.json", "hello, this is not a trace\n"));
        assertTrue(m.endsWith("notes.json: not a trace format Throughline reads (it starts with \"hello, this is n…\");"
                + " expected Chrome trace JSON (plain or gzip)"), m);
        // directly through the importer too (no detection first): the position is named
        Path f = dir.resolve("notes.json");
        var writer = dev.throughline.storage.CaptureWriter.create(out.resolve("direct.tlcap"), false);
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> new ChromeTraceImporter().importInto(f, writer, null));
        writer.abort();
        assertTrue(e.getMessage().startsWith(f + ": not JSON at byte 0: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aJfrRecordingIsNamedForWhatItIs() throws Exception {
        String m = failImport(CorpusFiles.file("jfr/jmc__jdk21.jfr"));
        assertTrue(m.contains("JFR recording"), m);
    }

    @Test
    void anEmptyEventArrayIsAnEmptyTraceNotAnError() throws Exception {
        var r = TraceImporters.importToCapture(write("none.json", "[]"), out.resolve("none.tlcap"), false, null);
        assertEquals(0, r.events());
        assertTrue(Files.exists(out.resolve("none.tlcap")));
    }

    @Test
    void topLevelNumber() throws Exception {
        Path f = write("n.json", "  42 ");
        var writer = dev.throughline.storage.CaptureWriter.create(out.resolve("n.tlcap"), false);
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> new ChromeTraceImporter().importInto(f, writer, null));
        writer.abort();
        assertTrue(e.getMessage().endsWith("the top-level JSON value is a number (at byte 2); expected an array of"
                + " trace events or an object with \"traceEvents\""), e.getMessage());
    }

    @Test
    void objectWithoutTraceEvents() throws Exception {
        String m = failImport(write("obj.json", "{\"schemaVersion\":1,\"deviceProperties\":[]}"));
        assertTrue(m.endsWith("the top-level JSON object has no \"traceEvents\" array (keys: schemaVersion,"
                + " deviceProperties); expected a Chrome trace"), m);
    }

    @Test
    void traceEventsThatIsNotAnArray() throws Exception {
        String m = failImport(write("te.json", "{\"traceEvents\":{}}"));
        assertTrue(m.endsWith("\"traceEvents\" at byte 15 is an object; expected an array of trace events"), m);
    }

    @Test
    void invalidJsonInsideAnEvent() throws Exception {
        String json = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1},\n{\"ph\":\"X\" \"name\":\"b\"}]";
        String m = failImport(write("syntax.json", json));
        assertTrue(m.matches(".*: invalid JSON at byte \\d+ \\(in event #1\\): .*"), m);
    }

    @Test
    void timestampOutOfRange() throws Exception {
        String json = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1e30,\"dur\":1}]";
        String m = failImport(write("range.json", json));
        assertTrue(m.endsWith("event #0 at byte " + json.indexOf("1e30") + ": 'ts' '1e30' µs is out of range for"
                + " int64 nanoseconds"), m);
    }
}
