package dev.throughline.app.ui;

import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One open capture: its reader, its report, and the one thread that talks to its SQLite connection
 * (every query of every view goes through {@link #db}, never the FX thread). A capture imported from a
 * trace lives in a temporary file that is deleted when the session closes.
 */
public final class CaptureSession implements AutoCloseable {
    private final Path source;
    private final CaptureReader reader;
    private final Report report;
    private final Path temporary;
    private final ExecutorService db;
    private volatile List<String> strings;

    CaptureSession(Path source, CaptureReader reader, Report report, Path temporary) {
        this.source = source;
        this.reader = reader;
        this.report = report;
        this.temporary = temporary;
        this.db = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "capture-db " + source.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    /** What the user opened: the capture, or the trace it was imported from. */
    public Path source() {
        return source;
    }

    public CaptureReader reader() {
        return reader;
    }

    public Report report() {
        return report;
    }

    public String title() {
        return source.getFileName().toString();
    }

    /** Runs a query on the capture's own thread; the future completes off the FX thread. */
    public <T> CompletableFuture<T> query(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            db.execute(() -> {
                try {
                    f.complete(work.call());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the tab was closed while a view still had a read to chain (e.g. a timeline refetch): fail that
            // read quietly instead of throwing on the FX thread
            f.completeExceptionally(closed);
        }
        return f;
    }

    /** Interned strings by id; only call on the db thread. */
    List<String> strings() throws SQLException {
        if (strings == null) {
            strings = reader.strings();
        }
        return strings;
    }

    @Override
    public void close() {
        db.execute(() -> {
            reader.close();
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                    Files.deleteIfExists(temporary.getParent());
                } catch (IOException ignored) {
                    // a temp file left behind is removed by the OS; nothing the user can do about it
                }
            }
        });
        db.shutdown();
    }
}
