package dev.throughline.gpu.cupti;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each field the decoder reads sits in CUPTI's activity records, and how long each record is,
 * for the CUPTI versions this was verified against. A buffer holds records back to back, each as
 * long as its struct (8-byte aligned, packed); which struct version a kind uses depends on the CUPTI
 * library that fills the buffer, not on the headers we compiled with, so the layout is chosen from
 * cuptiGetVersion at run time.
 *
 * <p>Verified: 13.0 (CUPTI_API_VERSION 130001) by offsetof/sizeof from the toolkit's own headers
 * (src/test/c/cupti_layout.c); 13.1 (130101) by JavaCPP's compiled offsets of the CUDA 13.1 preset
 * (Loader.offsetof/sizeof, JavaCppCuptiLayoutProbe). Between them only the kernel record (Kernel10 →
 * Kernel11: a priority field appended) and the context record grew; the fields decoded sit at the
 * same offsets.
 */
public final class CuptiLayout {
    // CUpti_ActivityKind values (stable across versions; checked against the headers by the tests)
    public static final int KIND_MEMCPY = 1;
    public static final int KIND_MEMSET = 2;
    public static final int KIND_KERNEL = 3;
    public static final int KIND_DRIVER = 4;
    public static final int KIND_RUNTIME = 5;
    public static final int KIND_DEVICE = 8;
    public static final int KIND_CONTEXT = 9;
    public static final int KIND_CONCURRENT_KERNEL = 10;
    public static final int KIND_NAME = 11;
    public static final int KIND_MARKER = 12;
    public static final int KIND_MARKER_DATA = 13;
    public static final int KIND_OVERHEAD = 17;
    public static final int KIND_CDP_KERNEL = 18;
    public static final int KIND_MEMCPY2 = 22;
    public static final int KIND_CUDA_EVENT = 36;
    public static final int KIND_STREAM = 37;
    public static final int KIND_SYNCHRONIZATION = 38;
    public static final int KIND_EXTERNAL_CORRELATION = 39;
    public static final int KIND_MEMORY = 45;
    public static final int KIND_MEMORY2 = 49;
    public static final int KIND_MEMORY_POOL = 50;
    public static final int KIND_GRAPH_TRACE = 51;
    public static final int KIND_JIT = 52;

    // CUpti_ActivityKernel10 / 11
    static final int KERNEL_REGISTERS = 6; // uint16
    static final int KERNEL_START = 16;
    static final int KERNEL_END = 24;
    static final int KERNEL_DEVICE = 40;
    static final int KERNEL_CONTEXT = 44;
    static final int KERNEL_STREAM = 48;
    static final int KERNEL_GRID_X = 52; // then Y, Z, block X, Y, Z: int32 each
    static final int KERNEL_STATIC_SHARED = 76;
    static final int KERNEL_DYNAMIC_SHARED = 80;
    static final int KERNEL_CORRELATION = 92;
    static final int KERNEL_GRID_ID = 96;
    static final int KERNEL_NAME = 104; // const char*
    static final int KERNEL_GRAPH_ID = 156;
    // CUpti_ActivityMemcpy6
    static final int MEMCPY_COPY_KIND = 4; // uint8, then srcKind, dstKind
    static final int MEMCPY_SRC_KIND = 5;
    static final int MEMCPY_DST_KIND = 6;
    static final int MEMCPY_BYTES = 8;
    static final int MEMCPY_START = 16;
    static final int MEMCPY_END = 24;
    static final int MEMCPY_DEVICE = 32;
    static final int MEMCPY_CONTEXT = 36;
    static final int MEMCPY_STREAM = 40;
    static final int MEMCPY_CORRELATION = 44;
    // CUpti_ActivityMemset4
    static final int MEMSET_VALUE = 4;
    static final int MEMSET_BYTES = 8;
    static final int MEMSET_START = 16;
    static final int MEMSET_END = 24;
    static final int MEMSET_DEVICE = 32;
    static final int MEMSET_CONTEXT = 36;
    static final int MEMSET_STREAM = 40;
    static final int MEMSET_CORRELATION = 44;
    static final int MEMSET_MEMORY_KIND = 50; // uint16
    // CUpti_ActivitySynchronization2
    static final int SYNC_TYPE = 4;
    static final int SYNC_START = 8;
    static final int SYNC_END = 16;
    static final int SYNC_CORRELATION = 24;
    static final int SYNC_CONTEXT = 28;
    static final int SYNC_STREAM = 32;
    static final int SYNC_EVENT = 36;
    // CUpti_ActivityAPI
    static final int API_CBID = 4;
    static final int API_START = 8;
    static final int API_END = 16;
    static final int API_PROCESS = 24;
    static final int API_THREAD = 28;
    static final int API_CORRELATION = 32;
    static final int API_RETURN = 36;

    public static final int CUPTI_13_0 = 130001;
    public static final int CUPTI_13_1 = 130101;

    private final int apiVersion;
    private final String kernelStruct;
    private final Map<String, Integer> structSizes;
    private final Map<Integer, String> structByKind;
    private final int[] sizeByKind;

    private CuptiLayout(int apiVersion, String kernelStruct, Map<String, Integer> structSizes,
                        Map<Integer, String> structByKind) {
        this.apiVersion = apiVersion;
        this.kernelStruct = kernelStruct;
        this.structSizes = Collections.unmodifiableMap(structSizes);
        this.structByKind = Collections.unmodifiableMap(structByKind);
        int max = 0;
        for (int k : structByKind.keySet()) {
            max = Math.max(max, k);
        }
        this.sizeByKind = new int[max + 1];
        for (Map.Entry<Integer, String> e : structByKind.entrySet()) {
            sizeByKind[e.getKey()] = structSizes.get(e.getValue());
        }
    }

    /** CUDA 13.0's CUPTI (CUPTI_API_VERSION 130001): Kernel10, Context3. */
    public static CuptiLayout cuda13_0() {
        return build(CUPTI_13_0, "CUpti_ActivityKernel10", 216, "CUpti_ActivityContext3", 32);
    }

    /** CUDA 13.1's CUPTI (130101): Kernel11 (priority appended), Context4. */
    public static CuptiLayout cuda13_1() {
        return build(CUPTI_13_1, "CUpti_ActivityKernel11", 224, "CUpti_ActivityContext4", 40);
    }

    /**
     * The layout for the CUPTI library in use: the verified one for its version, else the newest
     * verified one older than it (records only grow at their end within a major version, and the
     * tracer checks its walk against CUPTI's own), or null before 13.0 (other struct versions).
     */
    public static CuptiLayout forApiVersion(int cuptiApiVersion) {
        if (cuptiApiVersion >= CUPTI_13_1) {
            return cuda13_1();
        }
        if (cuptiApiVersion >= CUPTI_13_0) {
            return cuda13_0();
        }
        return null;
    }

    private static CuptiLayout build(int version, String kernel, int kernelSize, String context, int contextSize) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put(kernel, kernelSize);
        sizes.put("CUpti_ActivityMemcpy6", 96);
        sizes.put("CUpti_ActivityMemset4", 88);
        sizes.put("CUpti_ActivitySynchronization2", 56);
        sizes.put("CUpti_ActivityAPI", 40);
        sizes.put("CUpti_ActivityDevice5", 184);
        sizes.put(context, contextSize);
        sizes.put("CUpti_ActivityName", 32);
        sizes.put("CUpti_ActivityMarker2", 56);
        sizes.put("CUpti_ActivityMarkerData2", 40);
        sizes.put("CUpti_ActivityOverhead3", 56);
        sizes.put("CUpti_ActivityCdpKernel", 144);
        sizes.put("CUpti_ActivityMemcpyPtoP4", 96);
        sizes.put("CUpti_ActivityCudaEvent2", 56);
        sizes.put("CUpti_ActivityStream", 24);
        sizes.put("CUpti_ActivityExternalCorrelation", 24);
        sizes.put("CUpti_ActivityMemory", 80);
        sizes.put("CUpti_ActivityMemory4", 128);
        sizes.put("CUpti_ActivityMemoryPool3", 80);
        sizes.put("CUpti_ActivityGraphTrace2", 56);
        sizes.put("CUpti_ActivityJit2", 72);
        Map<Integer, String> byKind = new LinkedHashMap<>();
        byKind.put(KIND_MEMCPY, "CUpti_ActivityMemcpy6");
        byKind.put(KIND_MEMSET, "CUpti_ActivityMemset4");
        byKind.put(KIND_KERNEL, kernel);
        byKind.put(KIND_DRIVER, "CUpti_ActivityAPI");
        byKind.put(KIND_RUNTIME, "CUpti_ActivityAPI");
        byKind.put(KIND_DEVICE, "CUpti_ActivityDevice5");
        byKind.put(KIND_CONTEXT, context);
        byKind.put(KIND_CONCURRENT_KERNEL, kernel);
        byKind.put(KIND_NAME, "CUpti_ActivityName");
        byKind.put(KIND_MARKER, "CUpti_ActivityMarker2");
        byKind.put(KIND_MARKER_DATA, "CUpti_ActivityMarkerData2");
        byKind.put(KIND_OVERHEAD, "CUpti_ActivityOverhead3");
        byKind.put(KIND_CDP_KERNEL, "CUpti_ActivityCdpKernel");
        byKind.put(KIND_MEMCPY2, "CUpti_ActivityMemcpyPtoP4");
        byKind.put(KIND_CUDA_EVENT, "CUpti_ActivityCudaEvent2");
        byKind.put(KIND_STREAM, "CUpti_ActivityStream");
        byKind.put(KIND_SYNCHRONIZATION, "CUpti_ActivitySynchronization2");
        byKind.put(KIND_EXTERNAL_CORRELATION, "CUpti_ActivityExternalCorrelation");
        byKind.put(KIND_MEMORY, "CUpti_ActivityMemory");
        byKind.put(KIND_MEMORY2, "CUpti_ActivityMemory4");
        byKind.put(KIND_MEMORY_POOL, "CUpti_ActivityMemoryPool3");
        byKind.put(KIND_GRAPH_TRACE, "CUpti_ActivityGraphTrace2");
        byKind.put(KIND_JIT, "CUpti_ActivityJit2");
        return new CuptiLayout(version, kernel, sizes, byKind);
    }

    public int apiVersion() {
        return apiVersion;
    }

    /** The record length of a kind in bytes, or -1 when this layout does not know the kind. */
    public int recordSize(int kind) {
        return kind > 0 && kind < sizeByKind.length && sizeByKind[kind] > 0 ? sizeByKind[kind] : -1;
    }

    /**
     * Every kind, field offset and struct size this layout relies on, one per line in the format
     * cupti_layout.c prints ("kind NAME n", "field STRUCT.FIELD offset size", "sizeof STRUCT n"), so the
     * tests can compare the two line for line.
     */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("version CUPTI_API_VERSION " + apiVersion);
        String[][] kinds = {
            {"MEMCPY", "1"}, {"MEMSET", "2"}, {"KERNEL", "3"}, {"DRIVER", "4"}, {"RUNTIME", "5"}, {"DEVICE", "8"},
            {"CONTEXT", "9"}, {"CONCURRENT_KERNEL", "10"}, {"NAME", "11"}, {"MARKER", "12"}, {"MARKER_DATA", "13"},
            {"OVERHEAD", "17"}, {"CDP_KERNEL", "18"}, {"MEMCPY2", "22"}, {"CUDA_EVENT", "36"}, {"STREAM", "37"},
            {"SYNCHRONIZATION", "38"}, {"EXTERNAL_CORRELATION", "39"}, {"MEMORY", "45"}, {"MEMORY2", "49"},
            {"MEMORY_POOL", "50"}, {"GRAPH_TRACE", "51"}, {"JIT", "52"},
        };
        for (String[] k : kinds) {
            out.add("kind CUPTI_ACTIVITY_KIND_" + k[0] + " " + k[1]);
        }
        String k = kernelStruct;
        field(out, k, "kind", 0, 4);
        field(out, k, "registersPerThread", KERNEL_REGISTERS, 2);
        field(out, k, "start", KERNEL_START, 8);
        field(out, k, "end", KERNEL_END, 8);
        field(out, k, "deviceId", KERNEL_DEVICE, 4);
        field(out, k, "contextId", KERNEL_CONTEXT, 4);
        field(out, k, "streamId", KERNEL_STREAM, 4);
        String[] dims = {"gridX", "gridY", "gridZ", "blockX", "blockY", "blockZ"};
        for (int i = 0; i < dims.length; i++) {
            field(out, k, dims[i], KERNEL_GRID_X + 4 * i, 4);
        }
        field(out, k, "staticSharedMemory", KERNEL_STATIC_SHARED, 4);
        field(out, k, "dynamicSharedMemory", KERNEL_DYNAMIC_SHARED, 4);
        field(out, k, "correlationId", KERNEL_CORRELATION, 4);
        field(out, k, "gridId", KERNEL_GRID_ID, 8);
        field(out, k, "name", KERNEL_NAME, 8);
        field(out, k, "graphId", KERNEL_GRAPH_ID, 4);
        sizeof(out, k);
        String m = "CUpti_ActivityMemcpy6";
        field(out, m, "kind", 0, 4);
        field(out, m, "copyKind", MEMCPY_COPY_KIND, 1);
        field(out, m, "srcKind", MEMCPY_SRC_KIND, 1);
        field(out, m, "dstKind", MEMCPY_DST_KIND, 1);
        field(out, m, "bytes", MEMCPY_BYTES, 8);
        field(out, m, "start", MEMCPY_START, 8);
        field(out, m, "end", MEMCPY_END, 8);
        field(out, m, "deviceId", MEMCPY_DEVICE, 4);
        field(out, m, "contextId", MEMCPY_CONTEXT, 4);
        field(out, m, "streamId", MEMCPY_STREAM, 4);
        field(out, m, "correlationId", MEMCPY_CORRELATION, 4);
        sizeof(out, m);
        String s = "CUpti_ActivityMemset4";
        field(out, s, "kind", 0, 4);
        field(out, s, "value", MEMSET_VALUE, 4);
        field(out, s, "bytes", MEMSET_BYTES, 8);
        field(out, s, "start", MEMSET_START, 8);
        field(out, s, "end", MEMSET_END, 8);
        field(out, s, "deviceId", MEMSET_DEVICE, 4);
        field(out, s, "contextId", MEMSET_CONTEXT, 4);
        field(out, s, "streamId", MEMSET_STREAM, 4);
        field(out, s, "correlationId", MEMSET_CORRELATION, 4);
        field(out, s, "memoryKind", MEMSET_MEMORY_KIND, 2);
        sizeof(out, s);
        String y = "CUpti_ActivitySynchronization2";
        field(out, y, "kind", 0, 4);
        field(out, y, "type", SYNC_TYPE, 4);
        field(out, y, "start", SYNC_START, 8);
        field(out, y, "end", SYNC_END, 8);
        field(out, y, "correlationId", SYNC_CORRELATION, 4);
        field(out, y, "contextId", SYNC_CONTEXT, 4);
        field(out, y, "streamId", SYNC_STREAM, 4);
        field(out, y, "cudaEventId", SYNC_EVENT, 4);
        sizeof(out, y);
        String a = "CUpti_ActivityAPI";
        field(out, a, "kind", 0, 4);
        field(out, a, "cbid", API_CBID, 4);
        field(out, a, "start", API_START, 8);
        field(out, a, "end", API_END, 8);
        field(out, a, "processId", API_PROCESS, 4);
        field(out, a, "threadId", API_THREAD, 4);
        field(out, a, "correlationId", API_CORRELATION, 4);
        field(out, a, "returnValue", API_RETURN, 4);
        sizeof(out, a);
        for (String struct : structSizes.keySet()) {
            if (!struct.equals(k) && !struct.equals(m) && !struct.equals(s) && !struct.equals(y) && !struct.equals(a)) {
                sizeof(out, struct);
            }
        }
        return out;
    }

    private static void field(List<String> out, String struct, String field, int offset, int size) {
        out.add("field " + struct + "." + field + " " + offset + " " + size);
    }

    private void sizeof(List<String> out, String struct) {
        out.add("sizeof " + struct + " " + structSizes.get(struct));
    }

    @Override
    public String toString() {
        return "CUPTI " + (apiVersion / 10000) + "." + (apiVersion / 100 % 100) + " layout (" + kernelStruct + ")";
    }
}
