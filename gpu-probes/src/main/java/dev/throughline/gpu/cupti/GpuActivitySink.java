package dev.throughline.gpu.cupti;

/**
 * Where the tracer delivers decoded activities, on its own decoding thread (never a CUDA thread).
 * {@code dropped} gives a count for one reason (e.g. "cupti dropped records"), added to what that
 * reason already lost, as the protocol's LOSS frames count.
 */
public interface GpuActivitySink {
    void activity(GpuActivity activity);

    void dropped(String kind, long count);
}
