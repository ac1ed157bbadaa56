package dev.throughline.storage.importer.nsys;

import java.sql.SQLException;
import java.util.Map;

/**
 * The enumerations of the export that rows refer to by number. Newer exports (2023+) carry them as
 * {@code ENUM_*} tables, which win; older ones (2021–2022) do not, so the values documented for those
 * versions (Nsight Systems exporter docs 2021.5, "CUDA memcpy kind", "CUDA memory kind", NVTX event type,
 * CUPTI synchronization type; CUPTI's {@code CUpti_ActivityMemcpyKind}) are built in here.
 */
final class NsysEnums {
    /** CUDA_MEMCPY_KIND_*: short names as Kineto writes them ("Memcpy HtoD (...)"). */
    private static final String[] COPY_SHORT = {"Unknown", "HtoD", "DtoH", "HtoA", "AtoH", "AtoA", "AtoD", "DtoA",
        "DtoD", "HtoH", "PtoP", "UVM HtoD", "UVM DtoH", "UVM DtoD"};
    private static final String[] COPY_LABEL = {"Unknown", "Host-to-Device", "Device-to-Host", "Host-to-Array",
        "Array-to-Host", "Array-to-Array", "Array-to-Device", "Device-to-Array", "Device-to-Device", "Host-to-Host",
        "Peer-to-Peer", "Unified Host-to-Device", "Unified Device-to-Host", "Unified Device-to-Device"};
    /** CUDA_MEMOPR_MEMORY_KIND_* (nsys's own numbering, not CUPTI's CUpti_ActivityMemoryKind). */
    private static final String[] MEMORY_KIND = {"Pageable", "Pinned", "Device", "Array", "Managed", "Device Static",
        "Managed Static", "Unknown"};
    /** CUpti_ActivitySynchronizationType, named as Kineto names the slices. */
    private static final String[] SYNC_NAME = {"Unknown Sync", "Event Sync", "Stream Wait Event", "Stream Sync",
        "Context Sync"};

    // NVTX event types (NVTX_EVENTS.eventType)
    static final long NVTX_CATEGORY = 33;
    static final long NVTX_MARK = 34;
    static final long NVTX_THREAD = 39;
    static final long NVTX_PUSH_POP = 59;
    static final long NVTX_START_END = 60;
    static final long NVTXT_PUSH_POP = 70;
    static final long NVTXT_START_END = 71;
    static final long NVTX_DOMAIN_CREATE = 75;
    static final long NVTX_DOMAIN_DESTROY = 76;

    // CUPTI_ACTIVITY_KIND_RUNTIME.eventClass
    static final long CLASS_CUDA_RUNTIME = 0;
    static final long CLASS_CUDA_DRIVER = 1;
    static final long CLASS_CUDA_BACKTRACE = 67;

    private final Map<Long, String> copyLabels;
    private final Map<Long, String> memoryLabels;
    private final Map<Long, String> syncLabels;
    final long nvtxCategory;
    final long nvtxMark;
    final long nvtxThread;
    final long nvtxPushPop;
    final long nvtxStartEnd;
    final long nvtxtPushPop;
    final long nvtxtStartEnd;
    final long nvtxDomainCreate;
    final long nvtxDomainDestroy;
    final long cudaRuntime;
    final long cudaDriver;
    final long cudaBacktrace;

    NsysEnums(NsysDatabase db) throws SQLException {
        copyLabels = db.enumLabels("ENUM_CUDA_MEMCPY_OPER");
        memoryLabels = db.enumLabels("ENUM_CUDA_MEM_KIND");
        syncLabels = db.enumLabels("ENUM_CUPTI_SYNC_TYPE");
        Map<String, Long> types = db.enumIds("ENUM_NSYS_EVENT_TYPE");
        nvtxCategory = types.getOrDefault("NvtxCategory", NVTX_CATEGORY);
        nvtxMark = types.getOrDefault("NvtxMark", NVTX_MARK);
        nvtxThread = types.getOrDefault("NvtxThread", NVTX_THREAD);
        nvtxPushPop = types.getOrDefault("NvtxPushPopRange", NVTX_PUSH_POP);
        nvtxStartEnd = types.getOrDefault("NvtxStartEndRange", NVTX_START_END);
        nvtxtPushPop = types.getOrDefault("NvtxtPushPopRange", NVTXT_PUSH_POP);
        nvtxtStartEnd = types.getOrDefault("NvtxtStartEndRange", NVTXT_START_END);
        nvtxDomainCreate = types.getOrDefault("NvtxDomainCreate", NVTX_DOMAIN_CREATE);
        nvtxDomainDestroy = types.getOrDefault("NvtxDomainDestroy", NVTX_DOMAIN_DESTROY);
        Map<String, Long> classes = db.enumIds("ENUM_NSYS_EVENT_CLASS");
        cudaRuntime = classes.getOrDefault("TRACE_PROCESS_EVENT_CUDA_RUNTIME", CLASS_CUDA_RUNTIME);
        cudaDriver = classes.getOrDefault("TRACE_PROCESS_EVENT_CUDA_DRIVER", CLASS_CUDA_DRIVER);
        cudaBacktrace = classes.getOrDefault("TRACE_PROCESS_EVENT_CUDABACKTRACE", CLASS_CUDA_BACKTRACE);
    }

    /** "HtoD", "DtoH", … for a slice name. */
    static String copyShort(long kind) {
        return kind >= 0 && kind < COPY_SHORT.length ? COPY_SHORT[(int) kind] : "kind " + kind;
    }

    /** The readable copy kind: the file's ENUM label where it has one, else the documented one. */
    String copyLabel(long kind) {
        String label = copyLabels.get(kind);
        if (label != null) {
            return label;
        }
        return kind >= 0 && kind < COPY_LABEL.length ? COPY_LABEL[(int) kind] : "Unknown copy kind " + kind;
    }

    String memoryLabel(long kind) {
        String label = memoryLabels.get(kind);
        if (label != null) {
            return label;
        }
        return kind >= 0 && kind < MEMORY_KIND.length ? MEMORY_KIND[(int) kind] : "Unknown memory kind " + kind;
    }

    /** Kineto's slice name of a synchronization ("Stream Sync"), or the file's label for newer types. */
    String syncName(long type) {
        if (type >= 0 && type < SYNC_NAME.length) {
            return SYNC_NAME[(int) type];
        }
        String label = syncLabels.get(type);
        return label != null ? label : "Sync (type " + type + ")";
    }

    /** The file's own label of a synchronization type, or null where it has none. */
    String syncLabel(long type) {
        return syncLabels.get(type);
    }
}
