package dev.throughline.storage.importer;

/** The kinds of file {@link TraceImporters#detect} tells apart. */
public enum TraceFormat {
    /** Chrome Trace Event Format JSON (Kineto / PyTorch profiler traces included). */
    CHROME_JSON,
    /** The same, gzip-compressed (detected by the magic bytes, not the name). */
    CHROME_JSON_GZIP,
    /** An Nsight Systems report exported to SQLite ({@code nsys export --type sqlite}). */
    NSYS_SQLITE,
    /** Already a Throughline capture (SQLite with our meta table): open it, nothing to import. */
    THROUGHLINE_CAPTURE,
    /** Anything else; the description says what it looks like. */
    UNKNOWN;

    /** Whether {@link TraceImporters#importToCapture} can read it. */
    public boolean importable() {
        return this == CHROME_JSON || this == CHROME_JSON_GZIP || this == NSYS_SQLITE;
    }
}
