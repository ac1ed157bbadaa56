package dev.throughline.app.cli;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceFormat;
import dev.throughline.storage.importer.TraceImporters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Imports a trace file into a capture for the CLI: default output name, progress, nothing left on failure. */
final class TraceImport {
    private TraceImport() {
    }

    /**
     * True for a capture, and for any SQLite file: opening it as a capture then says precisely why it is
     * not one we can read (a newer schema, no meta table) instead of "not a trace format".
     */
    static boolean isCapture(Path file) throws IOException {
        if (TraceImporters.detect(file).format() == TraceFormat.THROUGHLINE_CAPTURE) {
            return true;
        }
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(15), java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3");
        }
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
