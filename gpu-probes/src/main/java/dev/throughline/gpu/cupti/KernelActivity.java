package dev.throughline.gpu.cupti;

/** A kernel execution (CUPTI_ACTIVITY_KIND_KERNEL / CONCURRENT_KERNEL). */
public final class KernelActivity extends GpuActivity {
    public final String name;
    public final int deviceId;
    public final int contextId;
    public final int streamId;
    public final int gridX;
    public final int gridY;
    public final int gridZ;
    public final int blockX;
    public final int blockY;
    public final int blockZ;
    public final int registersPerThread;
    public final int staticSharedMemory;
    public final int dynamicSharedMemory;

    public KernelActivity(long startNs, long endNs, long correlationId, String name, int deviceId, int contextId,
                          int streamId, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                          int registersPerThread, int staticSharedMemory, int dynamicSharedMemory) {
        super(startNs, endNs, correlationId);
        this.name = name;
        this.deviceId = deviceId;
        this.contextId = contextId;
        this.streamId = streamId;
        this.gridX = gridX;
        this.gridY = gridY;
        this.gridZ = gridZ;
        this.blockX = blockX;
        this.blockY = blockY;
        this.blockZ = blockZ;
        this.registersPerThread = registersPerThread;
        this.staticSharedMemory = staticSharedMemory;
        this.dynamicSharedMemory = dynamicSharedMemory;
    }

    @Override
    public Type type() {
        return Type.KERNEL;
    }

    /** Static plus dynamic shared memory per block, in bytes. */
    public int sharedMemoryBytes() {
        return staticSharedMemory + dynamicSharedMemory;
    }

    @Override
    public String toString() {
        return "kernel name=" + name + " device=" + deviceId + " context=" + contextId + " stream=" + streamId
                + " correlation=" + correlationId + " start=" + startNs + " end=" + endNs
                + " grid=" + gridX + "," + gridY + "," + gridZ + " block=" + blockX + "," + blockY + "," + blockZ
                + " registers=" + registersPerThread + " sharedStatic=" + staticSharedMemory
                + " sharedDynamic=" + dynamicSharedMemory;
    }
}
