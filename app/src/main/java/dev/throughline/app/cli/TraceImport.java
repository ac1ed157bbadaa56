package dev.throughline.app.cli;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.importer.TraceImporters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Imports a trace file into a capture for the CLI: default output name, progress, nothing left on failure. */
final class TraceImport {
    private TraceImport() {
    }

    static boolean isCapture(Path file) throws CaptureFormatException {
        return TraceImporters.detect(file) == TraceImporters.Format.CAPTURE;
    }

    /** NAME.tlcap next to the source, or in the working directory when the source's folder is not writable. */
    static Path defaultOutput(Path source) {
        String name = source.getFileName().toString();
        for (String suffix : new String[] {".gz", ".json", ".pt.trace", ".trace"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        Path dir = source.toAbsolutePath().getParent();
        if (dir == null || !Files.isWritable(dir)) {
            dir = Path.of("").toAbsolutePath();
        }
        return dir.resolve(name + ".tlcap");
    }

    static void run(Path source, Path target, boolean force, PrintWriter err)
            throws CaptureFormatException, IOException, UserError {
        TraceImporters.Format format = TraceImporters.detect(source);
        if (format == TraceImporters.Format.CAPTURE) {
            throw new UserError(source + " is already a Throughline capture; report, export or query it directly");
        }
        if (!force && Files.exists(target)) {
            throw new UserError(target + " already exists (use --force to overwrite)");
        }
        StderrProgress progress = new StderrProgress(err, "importing " + source.getFileName());
        CaptureWriter writer = CaptureWriter.create(target, force);
        try {
            TraceImporters.importInto(format, source, writer, progress::update);
            progress.done();
            writer.close();
        } catch (CaptureFormatException | IOException | RuntimeException e) {
            progress.done();
            writer.abort();
            throw e;
        }
    }
}
