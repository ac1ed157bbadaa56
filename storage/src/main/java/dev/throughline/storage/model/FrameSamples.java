package dev.throughline.storage.model;

/** CPU samples whose leaf (innermost) frame is {@code frame}: its self time, in sample weight. */
public record FrameSamples(String frame, long samples) {
}
