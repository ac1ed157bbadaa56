package dev.throughline.app.cli;

import java.io.PrintWriter;

/**
 * Progress on stderr for work that takes more than ~2 s: silent before that, then one line
 * rewritten in place on a terminal, or a new line every 5 s when stderr is a file or pipe.
 */
final class StderrProgress {
    private static final long QUIET_NS = 2_000_000_000L;
    private static final long PIPE_EVERY_NS = 5_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long started = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long lastPrinted;
    private boolean printed;

    StderrProgress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    void update(long done, long total, long events) {
        long now = System.nanoTime();
        if (now - started < QUIET_NS || (!terminal && now - lastPrinted < PIPE_EVERY_NS)) {
            return;
        }
        if (terminal && now - lastPrinted < 200_000_000L) {
            return;
        }
        lastPrinted = now;
        printed = true;
        double seconds = (now - started) / 1e9;
        String pct = total > 0 ? String.format(" %3.0f%%", 100.0 * done / total) : "";
        String line = String.format("%s%s · %,d events · %.1f s", what, pct, events, seconds);
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
    }

    void done() {
        if (printed && terminal) {
            err.println();
            err.flush();
        }
    }
}
