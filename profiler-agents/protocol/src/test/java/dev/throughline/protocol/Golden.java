package dev.throughline.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** golden.json read into a {@link Handshake} and a list of frames (no JSON library in main: jackson-core here). */
final class Golden {
    /** The fixtures' source folder (the .bin files are written and read there, not from the class path copy). */
    static final Path DIR = Paths.get("src", "test", "resources", "golden");

    final Handshake handshake;
    final List<Frame> frames;

    private Golden(Handshake handshake, List<Frame> frames) {
        this.handshake = handshake;
        this.frames = frames;
    }

    static Golden load() throws IOException {
        Map<String, Object> root;
        try (InputStream in = Files.newInputStream(DIR.resolve("golden.json"));
             JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            root = asMap(value(p));
        }
        Map<String, Object> h = asMap(root.get("handshake"));
        Handshake handshake = new Handshake(i(h, "version"), (String) h.get("token"), l(h, "pid"), l(h, "ppid"),
                (String) h.get("kind"), (String) h.get("name"), (String) h.get("cmdline"));
        List<Frame> frames = new ArrayList<>();
        for (Object o : (List<?>) root.get("frames")) {
            frames.add(frame(asMap(o)));
        }
        return new Golden(handshake, frames);
    }

    private static Frame frame(Map<String, Object> f) {
        String type = (String) f.get("type");
        switch (type) {
            case "STRING":
                return new StringFrame(i(f, "id"), (String) f.get("text"));
            case "THREAD":
                return new ThreadFrame(l(f, "tid"), i(f, "name"));
            case "SLICE": {
                List<SliceFrame.Arg> args = new ArrayList<>();
                for (Object o : (List<?>) f.get("args")) {
                    Map<String, Object> a = asMap(o);
                    int key = i(a, "key");
                    int tag = i(a, "tag");
                    Number v = (Number) a.get("value");
                    args.add(tag == 0 ? SliceFrame.Arg.ofLong(key, v.longValue())
                            : tag == 1 ? SliceFrame.Arg.ofDouble(key, v.doubleValue()) : SliceFrame.Arg.ofString(key, v.intValue()));
                }
                return new SliceFrame(i(f, "category"), l(f, "tid"), l(f, "start_ns"), l(f, "dur_ns"), i(f, "name"),
                        l(f, "correlation"), args);
            }
            case "COUNTER":
                return new CounterFrame(i(f, "name"), l(f, "ts_ns"), ((Number) f.get("value")).doubleValue());
            case "SAMPLE": {
                List<SampleFrame.Location> stack = new ArrayList<>();
                for (Object o : (List<?>) f.get("frames")) {
                    Map<String, Object> s = asMap(o);
                    stack.add(new SampleFrame.Location(i(s, "function"), i(s, "file"), i(s, "line")));
                }
                return new SampleFrame(l(f, "tid"), l(f, "ts_ns"), l(f, "weight"), stack);
            }
            case "LOSS":
                return new LossFrame(i(f, "kind"), l(f, "count"));
            case "META":
                return new MetaFrame(i(f, "key"), i(f, "value"));
            case "BYE":
                return ByeFrame.INSTANCE;
            default:
                throw new IllegalArgumentException("golden.json: unknown frame type " + type);
        }
    }

    private static int i(Map<String, Object> m, String key) {
        return Math.toIntExact(l(m, key));
    }

    private static long l(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Long)) {
            throw new IllegalArgumentException("golden.json: " + key + " is not an integer: " + v);
        }
        return (Long) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** The value at the current token: maps, lists, String, Long (integers), Double. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                throw new IOException("golden.json: unexpected " + t);
        }
    }

    byte[] encodeFrames() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new FrameWriter(out).writeAll(frames);
        return out.toByteArray();
    }
}
