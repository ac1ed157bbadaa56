package dev.throughline.storage;

import java.sql.SQLException;

/** SQLite refused a write (disk full, I/O error): unchecked so the ingest hot path stays simple. */
public final class CaptureWriteException extends RuntimeException {
    public CaptureWriteException(SQLException cause) {
        super("capture write failed: " + cause.getMessage(), cause);
    }
}
