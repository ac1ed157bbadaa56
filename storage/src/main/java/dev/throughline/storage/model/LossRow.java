package dev.throughline.storage.model;

/** Events a source dropped, by kind, with one example of what was dropped. */
public record LossRow(String source, String kind, long count, String example) {
}
