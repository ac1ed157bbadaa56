package dev.throughline.gpu.cupti;

/** A memory copy (CUPTI_ACTIVITY_KIND_MEMCPY). Kinds are CUPTI's numbers; {@link MemoryKinds} names them. */
public final class MemcpyActivity extends GpuActivity {
    public final int copyKind;
    public final int srcKind;
    public final int dstKind;
    public final long bytes;
    public final int deviceId;
    public final int contextId;
    public final int streamId;

    public MemcpyActivity(long startNs, long endNs, long correlationId, int copyKind, int srcKind, int dstKind,
                          long bytes, int deviceId, int contextId, int streamId) {
        super(startNs, endNs, correlationId);
        this.copyKind = copyKind;
        this.srcKind = srcKind;
        this.dstKind = dstKind;
        this.bytes = bytes;
        this.deviceId = deviceId;
        this.contextId = contextId;
        this.streamId = streamId;
    }

    @Override
    public Type type() {
        return Type.MEMCPY;
    }

    /** A copy from or to pageable host memory: staged by the driver, synchronous, the usual slow path. */
    public boolean involvesPageableMemory() {
        return srcKind == MemoryKinds.MEMORY_PAGEABLE || dstKind == MemoryKinds.MEMORY_PAGEABLE;
    }

    @Override
    public String toString() {
        return "memcpy copyKind=" + copyKind + " src=" + srcKind + " dst=" + dstKind + " bytes=" + bytes
                + " device=" + deviceId + " context=" + contextId + " stream=" + streamId
                + " correlation=" + correlationId + " start=" + startNs + " end=" + endNs;
    }
}
