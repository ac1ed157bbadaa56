package dev.throughline.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one event, built by an importer and handed to {@link CaptureWriter#args}.
 * Reusable: {@link #clear()} between events to avoid garbage on the hot path.
 */
public final class ArgSet {
    /** One argument: its value is a Long, a Double or a String (nested JSON kept as its text). */
    public record Arg(String key, Object value) {
    }

    private final List<Arg> args = new ArrayList<>();

    public void clear() {
        args.clear();
    }

    public ArgSet put(String key, long value) {
        args.add(new Arg(key, value));
        return this;
    }

    public ArgSet put(String key, double value) {
        args.add(new Arg(key, value));
        return this;
    }

    public ArgSet put(String key, String value) {
        args.add(new Arg(key, value));
        return this;
    }

    public boolean isEmpty() {
        return args.isEmpty();
    }

    public List<Arg> args() {
        return args;
    }

    /** A key that is equal for equal argument sets; used to store each distinct set once. */
    String dedupKey() {
        StringBuilder sb = new StringBuilder(args.size() * 24);
        for (Arg a : args) {
            Object v = a.value;
            char type = v instanceof Long ? 'L' : v instanceof Double ? 'D' : 'S';
            sb.append(a.key).append('\u0001').append(type).append(v).append('\u0002');
        }
        return sb.toString();
    }
}
