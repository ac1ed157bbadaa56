package dev.throughline.storage.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TraceImporters#detect} on the real files of the corpus, by content only. */
class TraceImportersTest {

    private static DetectedFormat detect(String corpusFile) throws Exception {
        return TraceImporters.detect(CorpusFiles.file(corpusFile));
    }

    @Test
    void chromeTracesPlainAndGzip() throws Exception {
        for (String f : CorpusFiles.list("chrome_trace")) {
            assertEquals(TraceFormat.CHROME_JSON, detect(f).format(), f);
        }
        for (String f : CorpusFiles.list("kineto")) {
            DetectedFormat d = detect(f);
            assertEquals(TraceFormat.CHROME_JSON_GZIP, d.format(), f);
            assertTrue(d.description().endsWith(": gzip-compressed Chrome trace JSON"), d.description());
        }
    }

    @Test
    void gzipIsDetectedByContentNotByName(@TempDir Path dir) throws Exception {
        Path renamed = dir.resolve("trace.bin");
        Files.copy(CorpusFiles.file("kineto/tracelens__torch_compile_triton_trace.json.gz"), renamed);
        assertEquals(TraceFormat.CHROME_JSON_GZIP, TraceImporters.detect(renamed).format());
        Path fake = dir.resolve("fake.json.gz");
        Files.writeString(fake, "[{\"ph\":\"X\"}]");
        assertEquals(TraceFormat.CHROME_JSON, TraceImporters.detect(fake).format());
    }

    @Test
    void otherFormatsAreNamedButNotImportable() throws Exception {
        for (String f : CorpusFiles.list("nsys")) {
            DetectedFormat d = detect(f);
            assertEquals(TraceFormat.NSYS_SQLITE, d.format(), f);
            assertTrue(d.format().importable(), f);
            assertTrue(d.description().contains("an Nsight Systems SQLite export"), d.description());
        }
        for (String f : CorpusFiles.list("jfr")) {
            DetectedFormat d = detect(f);
            assertEquals(TraceFormat.UNKNOWN, d.format(), f);
            assertTrue(d.description().contains("JFR recording"), d.description());
        }
        DetectedFormat pprof = detect("pprof/speedscope__simple.prof");
        assertEquals(TraceFormat.UNKNOWN, pprof.format());
        assertTrue(pprof.description().contains("gzip-compressed data that is not JSON"), pprof.description());
        for (String f : CorpusFiles.list("collapsed")) {
            DetectedFormat d = detect(f);
            assertEquals(TraceFormat.UNKNOWN, d.format(), f);
            assertTrue(d.description().contains("not a trace format Throughline reads (it starts with"), d.description());
        }
    }

    @Test
    void aCaptureIsRecognisedAndNotImportedAgain(@TempDir Path dir) throws Exception {
        Path capture = dir.resolve("c.tlcap");
        TraceImporters.importToCapture(CorpusFiles.file("chrome_trace/clangbuildanalyzer__clang11-pid-45_test.json"),
                capture, false, null);
        DetectedFormat d = TraceImporters.detect(capture);
        assertEquals(TraceFormat.THROUGHLINE_CAPTURE, d.format());
        assertTrue(d.description().endsWith("a Throughline capture (schema version 1)"), d.description());
        assertTrue(!d.format().importable());
    }

    @Test
    void missingEmptyAndDirectory(@TempDir Path dir) throws Exception {
        assertEquals(TraceFormat.UNKNOWN, TraceImporters.detect(dir.resolve("nope.json")).format());
        assertTrue(TraceImporters.detect(dir.resolve("nope.json")).description().endsWith(": no such file"));
        assertTrue(TraceImporters.detect(dir).description().endsWith(": not a regular file"));
        Path empty = Files.createFile(dir.resolve("e.json"));
        assertTrue(TraceImporters.detect(empty).description().endsWith(": empty file (0 bytes)"));
    }
}
