package dev.throughline.app.recording;

import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorStats;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One recording under way, as {@code record} and {@code attach} (and the workbench's record dialog) drive it: live
 * counters, whether it has ended, a way to end it early, and the one close of the capture.
 */
public interface Recording {
    /** The collector this recording writes through. */
    Collector collector();

    /** {@link System#nanoTime()} when the recording started. */
    long startedNs();

    /** The collector's counts so far. */
    default CollectorStats stats() {
        return collector().stats();
    }

    /** Since the recording started. */
    default long elapsedNs() {
        return System.nanoTime() - startedNs();
    }

    /** The capture being written. */
    default Path capturePath() {
        return collector().capturePath();
    }

    /** Null while it runs; once it has ended by itself, why (see the implementations). */
    String ended() throws RecordingError;

    /** Ends it early: stops the child (and its children), or asks the attached agent to stop. */
    void stop();

    /** Closes the capture, once (later calls return null): the counts at the close. */
    CollectorStats finish() throws IOException;
}
