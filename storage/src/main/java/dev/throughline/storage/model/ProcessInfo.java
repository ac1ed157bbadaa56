package dev.throughline.storage.model;

/** One traced process of a capture. */
public record ProcessInfo(int id, long pid, String name, String kind, String host) {
}
