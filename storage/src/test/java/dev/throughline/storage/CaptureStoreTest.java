package dev.throughline.storage;

import dev.throughline.storage.model.NameTotal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capture file round trip on real SQLite files: write, close, reopen, refuse what is not ours. */
class CaptureStoreTest {
    @TempDir
    Path dir;

    private Path writeSmallCapture(Path file) throws Exception {
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(42, "train.py");
            int t = w.thread(p, 43, "MainThread");
            int host = w.track(TrackKind.THREAD, p, t, null, null, null);
            int gpu = w.track(TrackKind.GPU_STREAM, p, null, 0, 7L, "stream 7");
            int mm = w.string("aten::mm");
            int k = w.string("sgemm_kernel");
            ArgSet a = new ArgSet().put("External id", 5L).put("Input Dims", "[[2, 3]]");
            long argsA = w.args(a);
            long argsB = w.args(new ArgSet().put("External id", 5L).put("Input Dims", "[[2, 3]]"));
            assertEquals(argsA, argsB, "equal argument sets are stored once");
            w.slice(host, 1_000, 500, mm, Category.CPU_OP, 0, -1, -1, argsA);
            w.slice(host, 2_000, 300, mm, Category.CPU_OP, 0, -1, -1, 0);
            w.slice(gpu, 1_200, 2_000, k, Category.KERNEL, 0, -1, 9, 0);
            w.loss("test", "unsupported phase 'P'", 3, "event #7");
            w.loss("test", "unsupported phase 'P'", 2, "event #9");
        }
        return file;
    }

    @Test
    void closedCaptureReopensWithSummariesAndNoTemporaryFiles() throws Exception {
        Path file = writeSmallCapture(dir.resolve("small.tlcap"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "one self-contained file, no WAL or temp left");
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            assertTrue(r.cleanlyClosed());
            assertTrue(r.warnings().isEmpty());
            assertEquals(2_200, r.spanNs(), "first start 1000 to last end 3200");
            assertEquals(Map.of(Category.CPU_OP, 2L, Category.KERNEL, 1L), r.categoryCounts());
            List<NameTotal> ops = r.topNames(Category.CPU_OP, 10);
            assertEquals(List.of(new NameTotal("aten::mm", 2, 800, 300, 500)), ops);
            assertEquals(5, r.loss().get(0).count());
            assertEquals("event #7", r.loss().get(0).example());
            assertEquals(Map.of("External id", 5L, "Input Dims", "[[2, 3]]"), r.args(1));
            assertEquals("ok", r.meta(CaptureSchema.META_INTEGRITY));
        }
    }

    @Test
    void abortLeavesNothingBehind() throws Exception {
        CaptureWriter w = CaptureWriter.create(dir.resolve("gone.tlcap"), false);
        int p = w.process(1, "x");
        w.slice(w.track(TrackKind.THREAD, p, null, null, null, null), 0, 1, w.string("a"), Category.USER, 0, -1, -1, 0);
        w.abort();
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void existingTargetIsNotOverwrittenWithoutForce() throws Exception {
        Path file = writeSmallCapture(dir.resolve("a.tlcap"));
        long size = Files.size(file);
        var e = assertThrows(java.io.IOException.class, () -> CaptureWriter.create(file, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(size, Files.size(file));
        try (CaptureWriter w = CaptureWriter.create(file, true)) {
            w.meta("note", "replaced");
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            assertEquals("replaced", r.meta("note"));
        }
    }

    @Test
    void newerSchemaIsRefusedNamingBothVersions() throws Exception {
        Path file = writeSmallCapture(dir.resolve("future.tlcap"));
        sql(file, "UPDATE meta SET value = '7' WHERE key = 'schema_version'");
        var e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(file));
        assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("version 1"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void uncleanCaptureOpensWithAWarning() throws Exception {
        Path file = writeSmallCapture(dir.resolve("crashed.tlcap"));
        sql(file, "UPDATE meta SET value = '0' WHERE key = 'clean_close'");
        try (CaptureReader r = CaptureReader.open(file)) {
            assertFalse(r.cleanlyClosed());
            assertEquals(1, r.warnings().size());
            assertTrue(r.warnings().get(0).contains("not closed cleanly"));
        }
    }

    @Test
    void sqliteFileThatIsNotACaptureIsRefused() throws Exception {
        Path file = dir.resolve("other.sqlite");
        sql(file, "CREATE TABLE t(x)");
        var e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(file));
        assertTrue(e.getMessage().contains("not a Throughline capture"), e.getMessage());
    }

    @Test
    void emptyMissingAndForeignFilesAreRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.tlcap"));
        assertTrue(assertThrows(CaptureFormatException.class, () -> CaptureReader.open(empty))
                .getMessage().contains("empty file"));
        Path missing = dir.resolve("missing.tlcap");
        assertTrue(assertThrows(CaptureFormatException.class, () -> CaptureReader.open(missing))
                .getMessage().contains("no such file"));
        Path text = Files.writeString(dir.resolve("notes.tlcap"), "hello world, not sqlite");
        assertTrue(assertThrows(CaptureFormatException.class, () -> CaptureReader.open(text))
                .getMessage().contains("byte 0"));
    }

    @Test
    void queriesAreReadOnly() throws Exception {
        Path file = writeSmallCapture(dir.resolve("ro.tlcap"));
        try (CaptureReader r = CaptureReader.open(file)) {
            assertEquals(3L, ((Number) r.query("SELECT count(*) FROM slice", 10).rows().get(0).get(0)).longValue());
            SQLException e = assertThrows(SQLException.class, () -> r.query("DELETE FROM slice", 10));
            assertTrue(e.getMessage().toLowerCase().contains("readonly"), e.getMessage());
            assertEquals(3L, ((Number) r.query("SELECT count(*) FROM slice", 10).rows().get(0).get(0)).longValue());
        }
    }

    private static void sql(Path file, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
