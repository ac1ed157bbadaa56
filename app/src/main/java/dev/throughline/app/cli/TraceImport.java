package dev.throughline.app.cli;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceImporters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Imports a trace file into a capture for the CLI: default output name, progress, nothing left on failure. */
final class TraceImport {
    private TraceImport() {
    }

    static boolean isCapture(Path file) throws IOException {
        return TraceImporters.opensAsCapture(file);
    }

    /** NAME.tlcap next to the source, or in the working directory when the source's folder is not writable. */
    static Path defaultOutput(Path source) {
        Path dir = source.toAbsolutePath().getParent();
        if (dir == null || !Files.isWritable(dir)) {
            dir = Path.of("").toAbsolutePath();
        }
        return dir.resolve(TraceImporters.captureName(source));
    }

    static ImportResult run(Path source, Path target, boolean force, PrintWriter err)
            throws CaptureFormatException, IOException, UserError {
        if (!force && Files.exists(target)) {
            throw new UserError(target + " already exists (use --force to overwrite)");
        }
        StderrProgress progress = new StderrProgress(err, "importing " + source.getFileName());
        try {
            return TraceImporters.importToCapture(source, target, force, progress::update);
        } finally {
            progress.done();
        }
    }
}
