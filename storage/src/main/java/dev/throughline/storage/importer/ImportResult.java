package dev.throughline.storage.importer;

import java.util.Map;

/**
 * What an import read and wrote.
 *
 * @param events elements of the trace's event array (every one is either imported or counted in {@code loss})
 * @param slices slices written (complete events and matched begin/end pairs)
 * @param instants instant events written
 * @param counterPoints counter samples written (one per numeric series value)
 * @param flows flow arrows written (including ones with a missing start or end)
 * @param metadataEvents metadata events consumed (process/thread names, sort indexes, labels)
 * @param loss events not imported, by kind (the same counts as the capture's loss table for this source)
 * @param jsonBytes bytes of JSON parsed (after decompression)
 * @param firstTsNs earliest timestamp of any non-metadata event with a timestamp, or 0 when none
 * @param lastEndNs latest {@code ts + dur} of those events (or {@code ts} where there is no dur), or 0
 */
public record ImportResult(long events, long slices, long instants, long counterPoints, long flows,
                           long metadataEvents, Map<String, Long> loss, long jsonBytes,
                           long firstTsNs, long lastEndNs) {
    public ImportResult {
        loss = Map.copyOf(loss);
    }

    /** Events counted as lost, all kinds together. */
    public long lostEvents() {
        long sum = 0;
        for (long n : loss.values()) {
            sum += n;
        }
        return sum;
    }

    /** The time the source's events cover, the trace-viewer way: every timestamped event counts, not only slices. */
    public long spanNs() {
        return lastEndNs - firstTsNs;
    }
}
