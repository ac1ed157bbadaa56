package dev.throughline.app.capture;

import dev.throughline.storage.CaptureWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/** Losses counted on any thread (readers, acceptor), written into the capture by the writer thread at close. */
final class LossTally {
    private record Key(String source, String kind) {
    }

    private static final class Entry {
        long count;
        String example;
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private long total;

    synchronized void add(String source, String kind, long count, String example) {
        Entry e = entries.computeIfAbsent(new Key(source, kind), k -> new Entry());
        e.count += count;
        if (e.example == null) {
            e.example = example;
        }
        total += count;
    }

    synchronized long total() {
        return total;
    }

    synchronized void writeTo(CaptureWriter writer) {
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            writer.loss(e.getKey().source(), e.getKey().kind(), e.getValue().count, e.getValue().example);
        }
    }
}
