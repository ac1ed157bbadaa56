package dev.throughline.gpu.cupti;

/**
 * The host waiting for the GPU (CUPTI_ACTIVITY_KIND_SYNCHRONIZATION): event, stream or context
 * synchronize, or a stream waiting on an event. streamId is -1 for a context-wide sync (CUPTI gives
 * CUPTI_SYNCHRONIZATION_INVALID_VALUE there).
 */
public final class SyncActivity extends GpuActivity {
    public final int syncType;
    public final int contextId;
    public final long streamId;

    public SyncActivity(long startNs, long endNs, long correlationId, int syncType, int contextId, long streamId) {
        super(startNs, endNs, correlationId);
        this.syncType = syncType;
        this.contextId = contextId;
        this.streamId = streamId;
    }

    @Override
    public Type type() {
        return Type.SYNC;
    }

    @Override
    public String toString() {
        return "sync type=" + syncType + " context=" + contextId + " stream=" + streamId
                + " correlation=" + correlationId + " start=" + startNs + " end=" + endNs;
    }
}
