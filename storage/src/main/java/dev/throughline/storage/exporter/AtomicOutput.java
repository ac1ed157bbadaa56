package dev.throughline.storage.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/**
 * Every exporter's output file: written to a temporary sibling and moved into place, so a failed export leaves nothing
 * behind; gzip-compressed when the name ends with {@code .gz}.
 */
public final class AtomicOutput {
    /** What writes the content; {@code out} is closed by the caller. */
    public interface Body<T> {
        T write(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    public static <T> T write(Path target, boolean overwrite, Body<T> body) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!overwrite && Files.exists(abs)) {
            throw new IOException(target + " already exists (use --force to overwrite)");
        }
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".partial");
        try {
            T result;
            try (OutputStream file = Files.newOutputStream(temp)) {
                boolean gzip = abs.getFileName().toString().endsWith(".gz");
                OutputStream out = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
                result = body.write(out);
                out.close();
            }
            if (overwrite) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE);
            }
            return result;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
