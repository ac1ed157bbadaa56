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
}
