package dev.throughline.storage.exporter.chrome;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads an exported file strictly (no leniency) and checks what Perfetto and chrome://tracing need:
 * an object with a "traceEvents" array, each event an object with a one-letter "ph", a "pid" and
 * "tid", a numeric "ts" unless metadata, "dur" on X, "id" on flows, args.name on name metadata.
 * Returns the events counted by phase.
 */
final class TraceJson {
    private TraceJson() {
    }

    static Map<String, Long> validate(Path file) throws Exception {
        Map<String, Long> byPhase = new TreeMap<>();
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        try (JsonParser p = new JsonFactory().createParser(in)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            boolean sawEvents = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (!key.equals("traceEvents")) {
                    p.skipChildren();
                    continue;
                }
                sawEvents = true;
                assertEquals(JsonToken.START_ARRAY, v);
                int index = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    Map<String, Object> e = readEvent(p);
                    String where = "event #" + index++ + " " + e;
                    Object ph = e.get("ph");
                    assertTrue(ph instanceof String s && s.length() == 1, where);
                    assertTrue(e.get("pid") instanceof Number, where);
                    assertTrue(e.get("tid") instanceof Number, where);
                    assertNotNull(e.get("name"), where);
                    switch ((String) ph) {
                        case "M" -> assertTrue(e.get("args") instanceof String a && a.contains("name"), where);
                        case "X" -> {
                            assertTrue(e.get("ts") instanceof Number, where);
                            assertTrue(e.get("dur") instanceof Number d && d.doubleValue() >= 0, where);
                        }
                        case "s", "f" -> {
                            assertTrue(e.get("ts") instanceof Number, where);
                            assertNotNull(e.get("id"), where);
                        }
                        case "i", "C" -> assertTrue(e.get("ts") instanceof Number, where);
                        default -> fail("unexpected phase in export: " + where);
                    }
                    byPhase.merge((String) ph, 1L, Long::sum);
                }
                assertEquals(JsonToken.END_ARRAY, p.currentToken());
            }
            assertEquals(JsonToken.END_OBJECT, p.currentToken());
            assertTrue(sawEvents, "no traceEvents");
            assertEquals(null, p.nextToken(), "trailing content");
        }
        return byPhase;
    }

    private static Map<String, Object> readEvent(JsonParser p) throws Exception {
        Map<String, Object> e = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> e.put(k, p.getDecimalValue());
                case VALUE_STRING -> e.put(k, p.getText());
                case START_OBJECT, START_ARRAY -> {
                    StringBuilder sb = new StringBuilder();
                    int depth = 0;
                    do {
                        JsonToken t = p.currentToken();
                        if (t == JsonToken.FIELD_NAME) {
                            sb.append(p.currentName()).append(':');
                        } else if (t.isStructStart()) {
                            depth++;
                        } else if (t.isStructEnd()) {
                            depth--;
                        }
                        if (depth > 0) {
                            p.nextToken();
                        }
                    } while (depth > 0);
                    e.put(k, sb.toString());
                }
                default -> e.put(k, p.getText());
            }
        }
        return e;
    }
}
