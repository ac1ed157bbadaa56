package dev.throughline.storage.model;

/** Slices with a duration in (upperNs / 2, upperNs]: how many, and their total time. */
public record DurationBucket(long upperNs, long count, long totalNs) {
}
