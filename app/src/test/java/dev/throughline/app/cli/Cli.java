package dev.throughline.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the real CLI in-process and keeps what it printed. */
record Cli(int exitCode, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ThroughlineCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** The shared corpus of real traces (set by surefire); a missing corpus fails the test loudly. */
    static Path corpus(String relative) {
        String dir = System.getProperty("throughline.corpus");
        if (dir == null) {
            throw new IllegalStateException("system property throughline.corpus is not set (run through Maven)");
        }
        Path p = Path.of(dir, relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("corpus file missing: " + p + " (the corpus lives in ../shared/corpus)");
        }
        return p;
    }
}
