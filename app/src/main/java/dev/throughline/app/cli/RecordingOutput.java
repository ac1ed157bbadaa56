package dev.throughline.app.cli;

import dev.throughline.app.analysis.Finding;
import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.report.Report;
import dev.throughline.app.report.Units;
import dev.throughline.storage.CaptureReader;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** What {@code record} and {@code attach} share: where the capture goes, the status line, the closing summary. */
final class RecordingOutput {
    private RecordingOutput() {
    }

    /** {@code -o OUT} checked (absolute), or {@code PREFIX-YYYYMMDD-HHMMSS.tlcap} here. */
    static Path capturePath(Path output, boolean force, String prefix) throws UserError {
        Path out = (output != null ? output
                : Path.of(prefix + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".tlcap"))
                .toAbsolutePath();
        if (Files.exists(out) && !force) {
            throw new UserError(out + " already exists (use --force to overwrite)");
        }
        if (Files.isDirectory(out)) {
            throw new UserError(out + " is a folder; give a capture file name (-o OUT.tlcap)");
        }
        return out;
    }

    /** The counts, the findings of the closed capture, and its path. */
    static void summary(PrintWriter err, Collector collector, CollectorStats stats, long elapsedNs) {
        err.println("throughline: recorded " + counts(stats) + " in " + Units.duration(elapsedNs)
                + (stats.refused() > 0 ? " · " + stats.refused() + " connection(s) refused" : ""));
        try (CaptureReader r = CaptureReader.open(collector.capturePath())) {
            Report report = Report.of(r);
            for (Finding f : report.findings()) {
                err.printf("  %-8s %s%n           → %s%n", f.severity(), f.message(), f.recommendation());
            }
            // what was left out and why, where the user is looking now (the report says it again)
            for (String jfr : dev.throughline.app.analysis.AgentNotes.jfrOff(report.overview().meta())) {
                err.println("  JFR: " + jfr);
            }
        } catch (Exception e) {
            err.println("  (no findings: " + e.getMessage() + ")");
        }
        err.println("capture: " + collector.capturePath());
    }

    static String statusLine(CollectorStats s, long elapsedNs) {
        return "throughline: recording " + elapsedNs / 1_000_000_000L + " s · " + counts(s);
    }

    static String counts(CollectorStats s) {
        return String.format("%d process%s · %,d steps · %,d events · %,d dropped", s.processes(),
                s.processes() == 1 ? "" : "es", s.steps(), s.events(), s.drops());
    }
}
