package dev.throughline.gpu.cupti;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns decoded activities into SLICE frame contents, so the JVM agent's integration is: for each
 * activity, {@code GpuSlice s = slices.toSlice(a)}, then write a SLICE frame from its fields.
 * Not thread-safe: one per decoding thread. Synchronization records carry no thread id, so they go to
 * the thread whose API call has the same correlation id, when that call was seen first (a bounded
 * map of recent calls); else to tid 0.
 */
public final class GpuActivitySlices {
    public static final int CATEGORY_CUDA_API = 8;
    public static final int CATEGORY_KERNEL = 9;
    public static final int CATEGORY_MEMCPY = 10;
    public static final int CATEGORY_MEMSET = 11;
    public static final int CATEGORY_SYNC = 12;

    private static final int RECENT_CALLS = 4096;

    private final Map<Long, Long> threadByCorrelation = new LinkedHashMap<Long, Long>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > RECENT_CALLS;
        }
    };

    public GpuSlice toSlice(GpuActivity a) {
        switch (a.type()) {
            case KERNEL:
                return kernel((KernelActivity) a);
            case MEMCPY:
                return memcpy((MemcpyActivity) a);
            case MEMSET:
                return memset((MemsetActivity) a);
            case SYNC:
                return sync((SyncActivity) a);
            default:
                return api((ApiActivity) a);
        }
    }

    private static GpuSlice kernel(KernelActivity k) {
        Map<String, Object> args = new LinkedHashMap<>();
        gpuPlace(args, k.deviceId, k.streamId, k.contextId);
        args.put("grid", k.gridX + "," + k.gridY + "," + k.gridZ);
        args.put("block", k.blockX + "," + k.blockY + "," + k.blockZ);
        args.put("registers per thread", (long) k.registersPerThread);
        args.put("shared memory", (long) k.sharedMemoryBytes());
        return new GpuSlice(CATEGORY_KERNEL, 0, k.name, k.startNs, k.durationNs(), k.correlationId, args);
    }

    private static GpuSlice memcpy(MemcpyActivity m) {
        Map<String, Object> args = new LinkedHashMap<>();
        gpuPlace(args, m.deviceId, m.streamId, m.contextId);
        args.put("bytes", m.bytes);
        args.put("copy kind", MemoryKinds.copyKind(m.copyKind));
        args.put("src kind", MemoryKinds.memoryKind(m.srcKind));
        args.put("dst kind", MemoryKinds.memoryKind(m.dstKind));
        // "Memcpy HtoD (Pageable -> Device)": the name Nsight Systems and Kineto use, so summaries match
        String name = "Memcpy " + MemoryKinds.copyKind(m.copyKind) + " (" + title(MemoryKinds.memoryKind(m.srcKind))
                + " -> " + title(MemoryKinds.memoryKind(m.dstKind)) + ")";
        return new GpuSlice(CATEGORY_MEMCPY, 0, name, m.startNs, m.durationNs(), m.correlationId, args);
    }

    private static GpuSlice memset(MemsetActivity s) {
        Map<String, Object> args = new LinkedHashMap<>();
        gpuPlace(args, s.deviceId, s.streamId, s.contextId);
        args.put("bytes", s.bytes);
        args.put("memory kind", MemoryKinds.memoryKind(s.memoryKind));
        String name = "Memset (" + title(MemoryKinds.memoryKind(s.memoryKind)) + ")";
        return new GpuSlice(CATEGORY_MEMSET, 0, name, s.startNs, s.durationNs(), s.correlationId, args);
    }

    private GpuSlice sync(SyncActivity y) {
        Map<String, Object> args = new LinkedHashMap<>();
        if (y.streamId >= 0) {
            args.put("stream", y.streamId);
        }
        args.put("context", (long) y.contextId);
        Long tid = threadByCorrelation.get(y.correlationId);
        String name = "Sync: " + MemoryKinds.syncType(y.syncType);
        return new GpuSlice(CATEGORY_SYNC, tid == null ? 0 : tid, name, y.startNs, y.durationNs(), y.correlationId,
                args);
    }

    private GpuSlice api(ApiActivity a) {
        threadByCorrelation.put(a.correlationId, a.threadId);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cbid", (long) a.cbid);
        args.put("api", a.type() == GpuActivity.Type.DRIVER_API ? "driver" : "runtime");
        if (a.returnValue != 0) {
            args.put("return value", (long) a.returnValue);
        }
        return new GpuSlice(CATEGORY_CUDA_API, a.threadId, a.name, a.startNs, a.durationNs(), a.correlationId, args);
    }

    private static void gpuPlace(Map<String, Object> args, int device, int stream, int context) {
        args.put("device", (long) device);
        args.put("stream", (long) stream);
        args.put("context", (long) context);
    }

    private static String title(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
