package dev.throughline.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The parse floor for the import benchmark: streams a Chrome trace through jackson-core (the parser the
 * importer uses), touching every token and counting the elements of {@code traceEvents}, and stores nothing.
 * An import can be no faster than this on the same file and JVM.
 *
 * <pre>java -Xmx1g -cp bench/target/throughline-bench.jar dev.throughline.bench.JsonScan FILE[.gz]</pre>
 */
public final class JsonScan {
    private JsonScan() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JsonScan TRACE.json[.gz]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        long t0 = System.nanoTime();
        long tokens = 0;
        long events = 0;
        long bytes = 0;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz")
                     ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16) : raw;
             JsonParser p = new JsonFactory().createParser(in)) {
            int depth = 0;
            int eventsDepth = -1;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                tokens++;
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (depth == eventsDepth) {
                            events++;
                        }
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (depth == 1 && "traceEvents".equals(p.currentName())) {
                            eventsDepth = 2;
                        }
                    }
                    case VALUE_STRING -> bytes += p.getTextLength();
                    case VALUE_NUMBER_INT -> bytes += p.getLongValue() & 1;
                    case VALUE_NUMBER_FLOAT -> bytes += p.getTextLength(); // keep the digits as text, as an exact importer would
                    default -> {
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long size = Files.size(file);
        System.out.printf(Locale.ROOT, "%s: %,d traceEvents, %,d tokens (checksum %d) in %.2f s: %.0f MB/s of file, %.0f events/s%n",
                file, events, tokens, bytes, secs, size / 1e6 / secs, events / secs);
    }
}
