package dev.throughline.storage.exporter.collapsed;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CollapsedStacksExporterTest {
    @TempDir
    Path dir;

    @Test
    void oneLinePerDistinctStackWithSummedWeights() throws Exception {
        Path capture = dir.resolve("s.tlcap");
        try (CaptureWriter w = CaptureWriter.create(capture, false)) {
            int process = w.process(42, "train.py");
            int thread = w.thread(process, 42, "MainThread");
            int main = w.callsite(0, w.frame("<module>", "/home/u/train.py", 1), 0);
            int step = w.callsite(main, w.frame("train_step", "/home/u/train.py", 10), 1);
            int load = w.callsite(main, w.frame("DataLoader.__next__", "/usr/lib/torch/dataloader.py", 630), 1);
            int jvm = w.callsite(0, w.frame("a.B.c;weird", null, 0), 0);
            w.sample(thread, 1_000, step, 1);
            w.sample(thread, 2_000, step, 2);
            w.sample(thread, 3_000, load, 1);
            w.sample(thread, 4_000, main, 1);
            w.sample(thread, 5_000, jvm, 5);
        }
        Path out = dir.resolve("s.collapsed");
        CollapsedStacksExporter.Result r;
        try (CaptureReader reader = CaptureReader.open(capture)) {
            r = new CollapsedStacksExporter().export(reader, out, false);
        }
        assertEquals(new CollapsedStacksExporter.Result(4, 10), r);
        assertEquals(List.of(
                "<module> (train.py) 1",
                "<module> (train.py);train_step (train.py) 3",
                "<module> (train.py);DataLoader.__next__ (dataloader.py) 1",
                "a.B.c:weird 5"), Files.readAllLines(out));
    }

    @Test
    void anExistingFileIsKeptWithoutOverwrite() throws Exception {
        Path capture = dir.resolve("empty.tlcap");
        try (CaptureWriter w = CaptureWriter.create(capture, false)) {
            w.process(1, "p");
        }
        Path out = dir.resolve("keep.collapsed");
        Files.writeString(out, "precious");
        try (CaptureReader reader = CaptureReader.open(capture)) {
            IOException e = assertThrows(IOException.class, () -> new CollapsedStacksExporter().export(reader, out, false));
            assertEquals(out + " already exists (use --force to overwrite)", e.getMessage());
            assertEquals("precious", Files.readString(out));
            assertEquals(new CollapsedStacksExporter.Result(0, 0), new CollapsedStacksExporter().export(reader, out, true));
        }
        assertEquals("", Files.readString(out));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
        }
    }
}
