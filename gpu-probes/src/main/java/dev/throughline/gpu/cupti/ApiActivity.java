package dev.throughline.gpu.cupti;

/** A CUDA runtime or driver API call on a host thread (CUPTI_ACTIVITY_KIND_RUNTIME / DRIVER). */
public final class ApiActivity extends GpuActivity {
    private final boolean driver;
    public final int cbid;
    /** The call's name from CUPTI's callback id tables, or "runtime cbid N" when the table lacks it. */
    public final String name;
    public final long processId;
    public final long threadId;
    public final int returnValue;

    public ApiActivity(boolean driver, long startNs, long endNs, long correlationId, int cbid, String name,
                       long processId, long threadId, int returnValue) {
        super(startNs, endNs, correlationId);
        this.driver = driver;
        this.cbid = cbid;
        this.name = name;
        this.processId = processId;
        this.threadId = threadId;
        this.returnValue = returnValue;
    }

    @Override
    public Type type() {
        return driver ? Type.DRIVER_API : Type.RUNTIME_API;
    }

    @Override
    public String toString() {
        return (driver ? "driver" : "runtime") + " cbid=" + cbid + " name=" + name + " process=" + processId
                + " thread=" + threadId + " correlation=" + correlationId + " start=" + startNs + " end=" + endNs;
    }
}
