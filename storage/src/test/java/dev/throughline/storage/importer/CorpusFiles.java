package dev.throughline.storage.importer;

import dev.throughline.storage.CaptureFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared corpus of real traces ({@code ../shared/corpus}, see its MANIFEST.md), found through the
 * system property {@code throughline.corpus} that surefire sets. Missing corpus = failure, not a skip:
 * CI always has it.
 */
public final class CorpusFiles {
    public static final String PROPERTY = "throughline.corpus";

    private CorpusFiles() {
    }

    public static Path root() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            fail("system property " + PROPERTY + " is not set: run the tests through Maven (the root pom points it"
                    + " at ../shared/corpus), or pass -D" + PROPERTY + "=/path/to/shared/corpus");
        }
        Path root = Path.of(dir);
        if (!Files.isRegularFile(root.resolve("MANIFEST.md"))) {
            fail("the trace corpus is missing: " + root.toAbsolutePath() + " has no MANIFEST.md (" + PROPERTY
                    + "=" + dir + "); the tests need the shared corpus checked out beside the repository");
        }
        return root;
    }

    public static Path file(String relative) {
        Path f = root().resolve(relative);
        if (!Files.isRegularFile(f)) {
            fail("corpus file missing: " + f.toAbsolutePath());
        }
        return f;
    }

    /** Every file of a corpus folder (e.g. "kineto"), as "folder/name", sorted. */
    public static List<String> list(String folder) {
        Path dir = root().resolve(folder);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> folder + "/" + p.getFileName()).sorted().toList();
        } catch (IOException e) {
            return fail("cannot list corpus folder " + dir + ": " + e);
        }
    }

    /** A corpus file imported once per test JVM (the capture is shared: open it read-only). */
    public record Imported(Path capture, ImportResult result) {
    }

    private static final Map<String, Imported> IMPORTED = new HashMap<>();
    private static Path importDir;

    /** {@code relative} imported into a capture, once for all the test classes of this JVM. */
    public static synchronized Imported imported(String relative) throws CaptureFormatException, IOException {
        Imported done = IMPORTED.get(relative);
        if (done != null) {
            return done;
        }
        if (importDir == null) {
            importDir = Files.createTempDirectory("throughline-corpus-captures");
            Path dir = importDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        }
        Path capture = importDir.resolve(IMPORTED.size() + "-" + Path.of(relative).getFileName() + ".tlcap");
        ImportResult result = TraceImporters.importToCapture(file(relative), capture, false, null);
        done = new Imported(capture, result);
        IMPORTED.put(relative, done);
        return done;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temp folder: best effort
        }
    }
}
