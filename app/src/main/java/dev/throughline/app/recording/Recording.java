package dev.throughline.app.recording;

import dev.throughline.app.capture.CollectorStats;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One recording under way, as {@code record} and {@code attach} (and the workbench's record dialog) drive it: live
 * counters, whether it has ended, a way to end it early, and the one close of the capture.
 */
public interface Recording {
    /** The collector's counts so far. */
    CollectorStats stats();

    /** Since the recording started. */
    long elapsedNs();

    /** The capture being written. */
    Path capturePath();

    /** Null while it runs; once it has ended by itself, why (see the implementations). */
    String ended() throws RecordingError;

    /** Ends it early: stops the child (and its children), or asks the attached agent to stop. */
    void stop();

    /** Closes the capture, once (later calls return null): the counts at the close. */
    CollectorStats finish() throws IOException;
}
