package dev.throughline.storage.model;

/** Count and total time of the slices of one name in one category (from summary_name). */
public record NameTotal(String name, long count, long totalNs, long minNs, long maxNs) {
    public long meanNs() {
        return count == 0 ? 0 : totalNs / count;
    }
}
