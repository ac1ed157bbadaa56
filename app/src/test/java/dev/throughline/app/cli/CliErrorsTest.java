package dev.throughline.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input a user can hand the CLI: one clear line naming the file, exit 2, nothing left behind. */
class CliErrorsTest {
    @TempDir
    Path dir;

    private void assertRefused(Cli r, Path file, String... expectedFragments) throws IOException {
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), "one line: " + line);
        assertTrue(line.contains(file.toString()), "names the file: " + line);
        for (String f : expectedFragments) {
            assertTrue(line.contains(f), "mentions '" + f + "': " + line);
        }
        try (var files = Files.list(dir)) {
            List<Path> left = files.filter(p -> p.toString().endsWith(".tlcap") || p.toString().endsWith(".partial"))
                    .filter(p -> !p.equals(file)).toList();
            assertEquals(List.of(), left, "no capture left behind");
        }
    }

    private Cli importInto(Path source) {
        return Cli.run("import", source.toString(), "-o", dir.resolve("out.tlcap").toString());
    }

    @Test
    void truncatedJson() throws IOException {
        Path f = Files.writeString(dir.resolve("cut.json"),
                "{\"traceEvents\": [{\"ph\": \"X\", \"name\": \"a\", \"ts\": 1, \"dur\": 2, \"pid\": 1, \"tid\": 1}, {\"ph\": \"X\", \"na");
        assertRefused(importInto(f), f, "byte");
    }

    @Test
    void gzipGarbage() throws IOException {
        Path f = dir.resolve("garbage.json.gz");
        byte[] good;
        try (var bytes = new java.io.ByteArrayOutputStream(); OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("{\"traceEvents\": [".repeat(200).getBytes());
            gz.close();
            good = bytes.toByteArray();
        }
        for (int i = 20; i < good.length; i++) {
            good[i] = (byte) (good[i] ^ 0x5a); // keep the magic and header, scramble the deflate stream
        }
        Files.write(f, good);
        assertRefused(importInto(f), f, "gzip");
    }

    @Test
    void wrongTypeWhereANumberBelongs() throws IOException {
        Path f = Files.writeString(dir.resolve("types.json"),
                "[{\"ph\": \"X\", \"name\": \"a\", \"ts\": 1, \"dur\": 2, \"pid\": 1, \"tid\": 1},"
                        + " {\"ph\": \"X\", \"name\": \"b\", \"ts\": \"soon\", \"dur\": 2, \"pid\": 1, \"tid\": 1}]");
        assertRefused(importInto(f), f, "'ts'", "number");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = Files.createFile(dir.resolve("empty.json"));
        assertRefused(importInto(f), f, "empty");
    }

    @Test
    void missingFile() throws IOException {
        Path f = dir.resolve("nowhere.json");
        assertRefused(importInto(f), f, "no such file");
        assertRefused(Cli.run("report", f.toString()), f, "no such file");
    }

    @Test
    void sqliteFileThatIsNotACapture() throws Exception {
        Path f = dir.resolve("other.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t(x)");
        }
        assertRefused(Cli.run("report", f.toString()), f, "not a Throughline capture");
    }

    @Test
    void captureOfANewerSchema() throws Exception {
        Path f = dir.resolve("future.tlcap");
        Path src = Files.writeString(dir.resolve("tiny.json"),
                "[{\"ph\": \"X\", \"name\": \"a\", \"ts\": 1, \"dur\": 2, \"pid\": 1, \"tid\": 1}]");
        assertEquals(0, Cli.run("import", src.toString(), "-o", f.toString()).exitCode());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement st = c.createStatement()) {
            st.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
        }
        assertRefused(Cli.run("report", f.toString()), f, "version 2", "version 1");
        assertRefused(Cli.run("query", f.toString(), "SELECT 1"), f, "version 2");
    }

    @Test
    void existingOutputIsNotOverwrittenWithoutForce() throws IOException {
        Path src = Files.writeString(dir.resolve("tiny.json"),
                "[{\"ph\": \"X\", \"name\": \"a\", \"ts\": 1, \"dur\": 2, \"pid\": 1, \"tid\": 1}]");
        Path out = dir.resolve("tiny.tlcap");
        Cli first = Cli.run("import", src.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(out.toAbsolutePath().toString(), first.out().lines().findFirst().orElseThrow(),
                "without -o the capture goes next to its source as NAME.tlcap");
        Cli second = Cli.run("import", src.toString());
        assertEquals(2, second.exitCode());
        assertTrue(second.err().contains("already exists") && second.err().contains("--force"), second.err());
        assertEquals(0, Cli.run("import", src.toString(), "--force").exitCode());
    }

    @Test
    void sqlWritesAreRefused() throws IOException {
        Path src = Files.writeString(dir.resolve("tiny.json"),
                "[{\"ph\": \"X\", \"name\": \"a\", \"ts\": 1, \"dur\": 2, \"pid\": 1, \"tid\": 1}]");
        Path cap = dir.resolve("q.tlcap");
        assertEquals(0, Cli.run("import", src.toString(), "-o", cap.toString()).exitCode());
        Cli write = Cli.run("query", cap.toString(), "DELETE FROM slice");
        assertRefused(write, cap, "read-only");
        Cli read = Cli.run("query", cap.toString(), "SELECT count(*) AS n FROM slice", "--csv");
        assertEquals(0, read.exitCode(), read.err());
        assertEquals("n\n1\n", read.out().replace("\r", ""));
    }

    @Test
    void helpListsTheCommands() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        for (String c : new String[] {"import", "report", "export", "query"}) {
            assertTrue(help.out().contains(c), "--help lists " + c + ":\n" + help.out());
        }
    }
}
