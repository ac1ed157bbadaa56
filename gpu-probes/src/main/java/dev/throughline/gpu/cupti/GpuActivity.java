package dev.throughline.gpu.cupti;

/**
 * One decoded CUPTI activity record. Times are CLOCK_MONOTONIC nanoseconds (the capture's clock) once
 * the tracer has applied its clock offset; the decoder alone gives CUPTI's own timestamps.
 * Java 11 (the agent loads this module into target JVMs), so plain final classes, not records.
 */
public abstract class GpuActivity {
    /** What kind of work a record describes; says which subclass it is. */
    public enum Type { KERNEL, MEMCPY, MEMSET, SYNC, RUNTIME_API, DRIVER_API }

    public final long startNs;
    public final long endNs;
    /** CUPTI's correlation id: the same number on an API call and the GPU work it launched. */
    public final long correlationId;

    GpuActivity(long startNs, long endNs, long correlationId) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.correlationId = correlationId;
    }

    public abstract Type type();

    public long durationNs() {
        return endNs - startNs;
    }
}
