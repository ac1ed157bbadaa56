package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureWriteException;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceImporters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files of 1 MiB and more are parsed on a second thread: the same results, errors and cleanup. */
class ChromeTracePipelineTest {
    private static final int EVENTS = 70_000;

    @TempDir
    Path dir;

    /** EVENTS complete events (~5 MB); event #{@code bad} gets {@code badField} instead of its ts. */
    private Path trace(String name, int bad, String badField) throws IOException {
        StringBuilder sb = new StringBuilder(EVENTS * 80).append("{\"traceEvents\":[\n");
        for (int i = 0; i < EVENTS; i++) {
            sb.append(i == 0 ? "" : ",\n").append("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k").append(i % 50)
                    .append("\",\"pid\":0,\"tid\":7,");
            sb.append(i == bad ? badField : "\"ts\":" + (1_000_000 + i) + ".5").append(",\"dur\":0.25}");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("\n]}\n"), StandardCharsets.UTF_8);
        assertTrue(Files.size(f) > 1 << 20);
        return f;
    }

    @Test
    void importsEverythingAndReportsProgress() throws Exception {
        Path src = trace("ok.json", -1, null);
        List<long[]> calls = new ArrayList<>();
        ImportResult r = TraceImporters.importToCapture(src, dir.resolve("ok.tlcap"), false,
                (read, total, events) -> calls.add(new long[] {read, total, events}));
        assertEquals(EVENTS, r.slices());
        assertEquals((EVENTS - 1) * 1000L + 250, r.lastEndNs() - r.firstTsNs()); // .5 µs starts, 0.25 µs long
        assertTrue(calls.size() >= 2, "every ~64k events and at the end: " + calls.size());
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(calls.get(i)[2] >= calls.get(i - 1)[2] && calls.get(i)[0] >= calls.get(i - 1)[0]);
        }
        long[] last = calls.get(calls.size() - 1);
        assertEquals(Files.size(src), last[0]);
        assertEquals(Files.size(src), last[1]);
        assertEquals(EVENTS, last[2]);
    }

    @Test
    void aBadEventFarIntoTheFileIsNamedByIndexAndByte() throws Exception {
        Path src = trace("bad.json", 65_432, "\"ts\":[1]");
        Path out = Files.createDirectory(dir.resolve("out"));
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> TraceImporters.importToCapture(src, out.resolve("bad.tlcap"), false, null));
        String text = Files.readString(src);
        int at = text.indexOf("\"ts\":[1]") + 5;
        assertEquals(src + ": event #65432 at byte " + at + ": 'ts' must be a number, found an array", e.getMessage());
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aTruncatedLargeFileSaysWhere() throws Exception {
        Path whole = trace("whole.json", -1, null);
        byte[] bytes = Files.readAllBytes(whole);
        int cut = bytes.length - 1000;
        Path src = dir.resolve("cut.json");
        Files.write(src, java.util.Arrays.copyOf(bytes, cut));
        Path out = Files.createDirectory(dir.resolve("out"));
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> TraceImporters.importToCapture(src, out.resolve("cut.tlcap"), false, null));
        assertTrue(e.getMessage().matches(".*unexpected end of input at byte " + cut + " \\(in event #\\d+\\): expected .*"),
                e.getMessage());
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aWriterFailureStopsTheParsingThread() throws Exception {
        Path src = trace("w.json", -1, null);
        CaptureWriter writer = CaptureWriter.create(dir.resolve("w.tlcap"), false);
        // abort the writer under the importer's feet at the first progress report
        assertThrows(CaptureWriteException.class, () -> new ChromeTraceImporter().importInto(src, writer,
                (read, total, events) -> writer.abort()));
        for (int i = 0; i < 50 && parsingThreads() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, parsingThreads(), "the parsing thread ended");
    }

    private static long parsingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("chrome-import ") && t.isAlive()).count();
    }
}
