package dev.throughline.app.ui;

import dev.throughline.storage.CaptureFormatException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** One line a user can read for any failure: the CaptureFormatException message as is, never a stack trace. */
final class ErrorText {
    private ErrorText() {
    }

    static String of(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof CaptureFormatException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); start with a larger heap: THROUGHLINE_JAVA_OPTS=-Xmx4g";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return e.getMessage() + ": no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return e.getMessage() + ": permission denied";
        }
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return m == null || m.isBlank() ? kind.toLowerCase(java.util.Locale.ROOT) : m.replace('\n', ' ');
    }
}
