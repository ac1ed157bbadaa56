package dev.throughline.app.ui;

import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.importer.TraceImporters;
import javafx.concurrent.Task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens a capture, or imports a trace into a temporary capture first, off the FX thread. Progress is the
 * share of the source file read; {@link #stop()} cancels an import between two batches of events (the
 * importer then deletes its partial file).
 */
final class OpenTask extends Task<CaptureSession> {
    private final Path file;
    private final AtomicBoolean stopped = new AtomicBoolean();

    OpenTask(Path file) {
        this.file = file;
        updateTitle(file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    Path file() {
        return file;
    }

    /** Cancels without interrupting the thread (an interrupt would close SQLite's file channel mid-write). */
    void stop() {
        stopped.set(true);
    }

    boolean wasStopped() {
        return stopped.get();
    }

    @Override
    protected CaptureSession call() throws Exception {
        updateMessage("Opening " + file.getFileName() + "…");
        Path temporary = null;
        Path capture = file;
        if (!isCapture(file)) {
            Path dir = Files.createTempDirectory("throughline-open-");
            temporary = dir.resolve(TraceImporters.captureName(file));
            long started = System.nanoTime();
            try {
                TraceImporters.importToCapture(file, temporary, false, (read, total, events) -> {
                    if (stopped.get()) {
                        throw new CancellationException("import of " + file.getFileName() + " cancelled");
                    }
                    updateProgress(read, Math.max(1, total));
                    updateMessage(String.format("Importing %s · %,d events · %.1f s", file.getFileName(), events,
                            (System.nanoTime() - started) / 1e9));
                });
            } catch (Exception | Error e) {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(dir);
                throw e;
            }
            capture = temporary;
        }
        updateProgress(-1, 1);
        updateMessage("Reading summaries of " + file.getFileName() + "…");
        CaptureReader reader = CaptureReader.open(capture);
        try {
            Report report = Report.of(reader);
            return new CaptureSession(file, reader, report, temporary);
        } catch (Exception | Error e) {
            reader.close();
            throw e;
        }
    }

    /** A capture, or any SQLite file (opening it then says why it is not a capture we can read). */
    private static boolean isCapture(Path file) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CaptureFormatException(file, Files.exists(file) ? "not a regular file" : "no such file");
        }
        return TraceImporters.opensAsCapture(file);
    }
}
