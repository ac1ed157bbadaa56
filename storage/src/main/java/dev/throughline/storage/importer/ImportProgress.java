package dev.throughline.storage.importer;

/**
 * Told how far an import got; called at most every ~64k events and once at the end, on the
 * importing thread (keep it cheap).
 */
@FunctionalInterface
public interface ImportProgress {
    /** Does nothing. */
    ImportProgress NONE = (bytesRead, totalBytes, events) -> { };

    /**
     * @param bytesRead bytes of the source file read so far (compressed bytes for a gzip file)
     * @param totalBytes the size of the source file
     * @param events trace events read so far
     */
    void update(long bytesRead, long totalBytes, long events);
}
