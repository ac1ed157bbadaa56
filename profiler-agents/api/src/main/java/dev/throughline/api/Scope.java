package dev.throughline.api;

/** An open interval; {@link #close()} ends it, from any thread, once (later calls do nothing). */
public interface Scope extends AutoCloseable {
    @Override
    void close();
}
