package dev.throughline.app.recording;

/**
 * A recording that cannot start or go on for a reason the user can fix (not a JVM, no agent jar, an existing
 * output): the message says which process or file and why, and is shown as is (one CLI line, or a dialog).
 */
public final class RecordingError extends Exception {
    public RecordingError(String message) {
        super(message);
    }
}
