package dev.throughline.storage;

/** What a timeline row shows. Stored as its label in {@code track.kind}. */
public enum TrackKind {
    THREAD("thread"),
    GPU_STREAM("gpu_stream"),
    GPU_ANNOTATION("gpu_annotation"),
    COUNTER("counter"),
    ASYNC("async");

    public final String label;

    TrackKind(String label) {
        this.label = label;
    }

    public static TrackKind byLabel(String label) {
        for (TrackKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown track kind " + label);
    }
}
