package dev.throughline.gpu.cupti;

/** A memset (CUPTI_ACTIVITY_KIND_MEMSET). */
public final class MemsetActivity extends GpuActivity {
    public final int value;
    public final long bytes;
    public final int memoryKind;
    public final int deviceId;
    public final int contextId;
    public final int streamId;

    public MemsetActivity(long startNs, long endNs, long correlationId, int value, long bytes, int memoryKind,
                          int deviceId, int contextId, int streamId) {
        super(startNs, endNs, correlationId);
        this.value = value;
        this.bytes = bytes;
        this.memoryKind = memoryKind;
        this.deviceId = deviceId;
        this.contextId = contextId;
        this.streamId = streamId;
    }

    @Override
    public Type type() {
        return Type.MEMSET;
    }

    @Override
    public String toString() {
        return "memset value=" + value + " bytes=" + bytes + " memoryKind=" + memoryKind + " device=" + deviceId
                + " context=" + contextId + " stream=" + streamId + " correlation=" + correlationId
                + " start=" + startNs + " end=" + endNs;
    }
}
