package dev.throughline.storage.exporter.chrome;

/**
 * What an export wrote.
 * @param metadataEvents process_name / thread_name events
 * @param flowEvents 's' and 'f' events (a flow with both ends is two)
 */
public record ExportResult(long slices, long instants, long counterPoints, long flowEvents, long metadataEvents) {
    public long events() {
        return slices + instants + counterPoints + flowEvents + metadataEvents;
    }
}
