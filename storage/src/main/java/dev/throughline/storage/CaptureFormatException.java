package dev.throughline.storage;

import java.nio.file.Path;

/**
 * A file a user handed us that we cannot read: says which file, where, and what was expected.
 * Its message is meant to be printed as is, on one line.
 */
public final class CaptureFormatException extends Exception {
    private final Path file;

    public CaptureFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    public CaptureFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
