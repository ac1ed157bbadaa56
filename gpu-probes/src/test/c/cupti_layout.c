/*
 * Prints the layout of every CUPTI activity field the Java decoder reads, straight from the CUDA
 * toolkit's own headers (the compiler decides the offsets, not us), and writes a buffer of real
 * records filled through those structs. gen-cupti-fixtures.sh runs it; its output is committed as
 * test resources that CuptiLayoutTest and ActivityBufferDecoderTest compare the decoder against.
 *
 *   cupti_layout layout              -> stdout: "kind NAME value", "field STRUCT.FIELD offset size", "sizeof STRUCT n"
 *   cupti_layout fixture DIR         -> DIR/activities.bin (one buffer) and DIR/activities.expected.txt
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cupti_activity.h>
#include <cupti_version.h>
#include <cupti_runtime_cbid.h>
#include <cupti_driver_cbid.h>

#define FIELD(S, F) printf("field %s.%s %zu %zu\n", #S, #F, offsetof(S, F), sizeof(((S *)0)->F))
#define SIZEOF(S) printf("sizeof %s %zu\n", #S, sizeof(S))
#define KIND(K) printf("kind %s %d\n", #K, (int)K)

static void layout(void) {
    printf("version CUPTI_API_VERSION %d\n", CUPTI_API_VERSION);
    KIND(CUPTI_ACTIVITY_KIND_MEMCPY); KIND(CUPTI_ACTIVITY_KIND_MEMSET); KIND(CUPTI_ACTIVITY_KIND_KERNEL);
    KIND(CUPTI_ACTIVITY_KIND_DRIVER); KIND(CUPTI_ACTIVITY_KIND_RUNTIME); KIND(CUPTI_ACTIVITY_KIND_DEVICE);
    KIND(CUPTI_ACTIVITY_KIND_CONTEXT); KIND(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL); KIND(CUPTI_ACTIVITY_KIND_NAME);
    KIND(CUPTI_ACTIVITY_KIND_MARKER); KIND(CUPTI_ACTIVITY_KIND_MARKER_DATA); KIND(CUPTI_ACTIVITY_KIND_OVERHEAD);
    KIND(CUPTI_ACTIVITY_KIND_CDP_KERNEL); KIND(CUPTI_ACTIVITY_KIND_MEMCPY2); KIND(CUPTI_ACTIVITY_KIND_CUDA_EVENT);
    KIND(CUPTI_ACTIVITY_KIND_STREAM); KIND(CUPTI_ACTIVITY_KIND_SYNCHRONIZATION);
    KIND(CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION); KIND(CUPTI_ACTIVITY_KIND_MEMORY);
    KIND(CUPTI_ACTIVITY_KIND_MEMORY2); KIND(CUPTI_ACTIVITY_KIND_MEMORY_POOL); KIND(CUPTI_ACTIVITY_KIND_GRAPH_TRACE);
    KIND(CUPTI_ACTIVITY_KIND_JIT);

    FIELD(CUpti_ActivityKernel10, kind); FIELD(CUpti_ActivityKernel10, registersPerThread);
    FIELD(CUpti_ActivityKernel10, start); FIELD(CUpti_ActivityKernel10, end);
    FIELD(CUpti_ActivityKernel10, deviceId); FIELD(CUpti_ActivityKernel10, contextId);
    FIELD(CUpti_ActivityKernel10, streamId);
    FIELD(CUpti_ActivityKernel10, gridX); FIELD(CUpti_ActivityKernel10, gridY); FIELD(CUpti_ActivityKernel10, gridZ);
    FIELD(CUpti_ActivityKernel10, blockX); FIELD(CUpti_ActivityKernel10, blockY); FIELD(CUpti_ActivityKernel10, blockZ);
    FIELD(CUpti_ActivityKernel10, staticSharedMemory); FIELD(CUpti_ActivityKernel10, dynamicSharedMemory);
    FIELD(CUpti_ActivityKernel10, correlationId); FIELD(CUpti_ActivityKernel10, gridId);
    FIELD(CUpti_ActivityKernel10, name); FIELD(CUpti_ActivityKernel10, graphId);
    SIZEOF(CUpti_ActivityKernel10);

    FIELD(CUpti_ActivityMemcpy6, kind); FIELD(CUpti_ActivityMemcpy6, copyKind);
    FIELD(CUpti_ActivityMemcpy6, srcKind); FIELD(CUpti_ActivityMemcpy6, dstKind);
    FIELD(CUpti_ActivityMemcpy6, bytes); FIELD(CUpti_ActivityMemcpy6, start); FIELD(CUpti_ActivityMemcpy6, end);
    FIELD(CUpti_ActivityMemcpy6, deviceId); FIELD(CUpti_ActivityMemcpy6, contextId);
    FIELD(CUpti_ActivityMemcpy6, streamId); FIELD(CUpti_ActivityMemcpy6, correlationId);
    SIZEOF(CUpti_ActivityMemcpy6);

    FIELD(CUpti_ActivityMemset4, kind); FIELD(CUpti_ActivityMemset4, value); FIELD(CUpti_ActivityMemset4, bytes);
    FIELD(CUpti_ActivityMemset4, start); FIELD(CUpti_ActivityMemset4, end);
    FIELD(CUpti_ActivityMemset4, deviceId); FIELD(CUpti_ActivityMemset4, contextId);
    FIELD(CUpti_ActivityMemset4, streamId); FIELD(CUpti_ActivityMemset4, correlationId);
    FIELD(CUpti_ActivityMemset4, memoryKind);
    SIZEOF(CUpti_ActivityMemset4);

    FIELD(CUpti_ActivitySynchronization2, kind); FIELD(CUpti_ActivitySynchronization2, type);
    FIELD(CUpti_ActivitySynchronization2, start); FIELD(CUpti_ActivitySynchronization2, end);
    FIELD(CUpti_ActivitySynchronization2, correlationId); FIELD(CUpti_ActivitySynchronization2, contextId);
    FIELD(CUpti_ActivitySynchronization2, streamId); FIELD(CUpti_ActivitySynchronization2, cudaEventId);
    SIZEOF(CUpti_ActivitySynchronization2);

    FIELD(CUpti_ActivityAPI, kind); FIELD(CUpti_ActivityAPI, cbid);
    FIELD(CUpti_ActivityAPI, start); FIELD(CUpti_ActivityAPI, end);
    FIELD(CUpti_ActivityAPI, processId); FIELD(CUpti_ActivityAPI, threadId);
    FIELD(CUpti_ActivityAPI, correlationId); FIELD(CUpti_ActivityAPI, returnValue);
    SIZEOF(CUpti_ActivityAPI);

    /* records the tracer does not decode but must step over when they appear */
    SIZEOF(CUpti_ActivityDevice5); SIZEOF(CUpti_ActivityContext3); SIZEOF(CUpti_ActivityName);
    SIZEOF(CUpti_ActivityMarker2); SIZEOF(CUpti_ActivityMarkerData2); SIZEOF(CUpti_ActivityOverhead3);
    SIZEOF(CUpti_ActivityCdpKernel); SIZEOF(CUpti_ActivityMemcpyPtoP4); SIZEOF(CUpti_ActivityCudaEvent2);
    SIZEOF(CUpti_ActivityStream); SIZEOF(CUpti_ActivityExternalCorrelation); SIZEOF(CUpti_ActivityMemory);
    SIZEOF(CUpti_ActivityMemory4); SIZEOF(CUpti_ActivityMemoryPool3); SIZEOF(CUpti_ActivityGraphTrace2);
    SIZEOF(CUpti_ActivityJit2);
}

/* Appends one record as CUPTI lays records out in a buffer: back to back, each its struct's size. */
static size_t put(uint8_t *buf, size_t at, const void *rec, size_t size) {
    memcpy(buf + at, rec, size);
    return at + size;
}

static int fixture(const char *dir) {
    static uint8_t buf[8192];
    static const char kernel_name[] = "ampere_sgemm_128x64_nn";
    size_t n = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/activities.expected.txt", dir);
    FILE *exp = fopen(path, "w");
    if (!exp) { perror(path); return 1; }
    memset(buf, 0xAB, sizeof buf); /* padding bytes that the decoder must not read as data */
    fprintf(exp, "name-address %llu %s\n", 0x7f00deadbeef10ull, kernel_name);

    CUpti_ActivityKernel10 k; memset(&k, 0, sizeof k);
    k.kind = CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL; k.registersPerThread = 122;
    k.start = 1700000000000001000ull; k.end = 1700000000002501000ull;
    k.deviceId = 0; k.contextId = 1; k.streamId = 7;
    k.gridX = 32; k.gridY = 16; k.gridZ = 1; k.blockX = 256; k.blockY = 1; k.blockZ = 1;
    k.staticSharedMemory = 12288; k.dynamicSharedMemory = 4096; k.correlationId = 41; k.gridId = 9001;
    k.name = (const char *)(uintptr_t)0x7f00deadbeef10ull; /* an address: the tracer resolves it, the test maps it */
    n = put(buf, n, &k, sizeof k);
    fprintf(exp, "kernel name=%s device=%u context=%u stream=%u correlation=%u start=%llu end=%llu grid=%d,%d,%d block=%d,%d,%d registers=%u sharedStatic=%d sharedDynamic=%d\n",
            kernel_name, k.deviceId, k.contextId, k.streamId, k.correlationId,
            (unsigned long long)k.start, (unsigned long long)k.end, k.gridX, k.gridY, k.gridZ,
            k.blockX, k.blockY, k.blockZ, k.registersPerThread, k.staticSharedMemory, k.dynamicSharedMemory);

    CUpti_ActivityMemcpy6 m; memset(&m, 0, sizeof m);
    m.kind = CUPTI_ACTIVITY_KIND_MEMCPY; m.copyKind = CUPTI_ACTIVITY_MEMCPY_KIND_HTOD;
    m.srcKind = CUPTI_ACTIVITY_MEMORY_KIND_PAGEABLE; m.dstKind = CUPTI_ACTIVITY_MEMORY_KIND_DEVICE;
    m.bytes = 67108864ull; m.start = 1700000000003000000ull; m.end = 1700000000009000000ull;
    m.deviceId = 0; m.contextId = 1; m.streamId = 7; m.correlationId = 42;
    n = put(buf, n, &m, sizeof m);
    fprintf(exp, "memcpy copyKind=%u src=%u dst=%u bytes=%llu device=%u context=%u stream=%u correlation=%u start=%llu end=%llu\n",
            m.copyKind, m.srcKind, m.dstKind, (unsigned long long)m.bytes, m.deviceId, m.contextId, m.streamId,
            m.correlationId, (unsigned long long)m.start, (unsigned long long)m.end);

    /* a record the tracer steps over: known size, not decoded */
    CUpti_ActivityOverhead3 o; memset(&o, 0, sizeof o);
    o.kind = CUPTI_ACTIVITY_KIND_OVERHEAD;
    n = put(buf, n, &o, sizeof o);

    CUpti_ActivityMemset4 s; memset(&s, 0, sizeof s);
    s.kind = CUPTI_ACTIVITY_KIND_MEMSET; s.value = 0; s.bytes = 4194304ull;
    s.start = 1700000000010000000ull; s.end = 1700000000010040000ull;
    s.deviceId = 0; s.contextId = 1; s.streamId = 13; s.correlationId = 43; s.memoryKind = CUPTI_ACTIVITY_MEMORY_KIND_DEVICE;
    n = put(buf, n, &s, sizeof s);
    fprintf(exp, "memset value=%u bytes=%llu memoryKind=%u device=%u context=%u stream=%u correlation=%u start=%llu end=%llu\n",
            s.value, (unsigned long long)s.bytes, s.memoryKind, s.deviceId, s.contextId, s.streamId,
            s.correlationId, (unsigned long long)s.start, (unsigned long long)s.end);

    CUpti_ActivitySynchronization2 y; memset(&y, 0, sizeof y);
    y.kind = CUPTI_ACTIVITY_KIND_SYNCHRONIZATION; y.type = CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_STREAM_SYNCHRONIZE;
    y.start = 1700000000010050000ull; y.end = 1700000000012000000ull;
    y.correlationId = 44; y.contextId = 1; y.streamId = 7; y.cudaEventId = 0xffffffffu;
    n = put(buf, n, &y, sizeof y);
    fprintf(exp, "sync type=%u context=%u stream=%u correlation=%u start=%llu end=%llu\n",
            (unsigned)y.type, y.contextId, y.streamId, y.correlationId,
            (unsigned long long)y.start, (unsigned long long)y.end);

    CUpti_ActivityAPI r; memset(&r, 0, sizeof r);
    r.kind = CUPTI_ACTIVITY_KIND_RUNTIME; r.cbid = CUPTI_RUNTIME_TRACE_CBID_cudaMemcpyAsync_v3020;
    r.start = 1700000000002900000ull; r.end = 1700000000002950000ull;
    r.processId = 4242; r.threadId = 4250; r.correlationId = 42; r.returnValue = 0;
    n = put(buf, n, &r, sizeof r);
    fprintf(exp, "runtime cbid=%u name=cudaMemcpyAsync process=%u thread=%u correlation=%u start=%llu end=%llu\n",
            (unsigned)r.cbid, r.processId, r.threadId, r.correlationId,
            (unsigned long long)r.start, (unsigned long long)r.end);

    CUpti_ActivityAPI d; memset(&d, 0, sizeof d);
    d.kind = CUPTI_ACTIVITY_KIND_DRIVER; d.cbid = CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel;
    d.start = 1700000000000000100ull; d.end = 1700000000000000900ull;
    d.processId = 4242; d.threadId = 4250; d.correlationId = 41; d.returnValue = 0;
    n = put(buf, n, &d, sizeof d);
    fprintf(exp, "driver cbid=%u name=cuLaunchKernel process=%u thread=%u correlation=%u start=%llu end=%llu\n",
            (unsigned)d.cbid, d.processId, d.threadId, d.correlationId,
            (unsigned long long)d.start, (unsigned long long)d.end);
    fclose(exp);

    snprintf(path, sizeof path, "%s/activities.bin", dir);
    FILE *bin = fopen(path, "wb");
    if (!bin) { perror(path); return 1; }
    fwrite(buf, 1, n, bin);
    fclose(bin);
    fprintf(stderr, "wrote %zu bytes of records to %s\n", n, path);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "layout") == 0) { layout(); return 0; }
    if (argc >= 3 && strcmp(argv[1], "fixture") == 0) { return fixture(argv[2]); }
    fprintf(stderr, "usage: %s layout | fixture DIR\n", argv[0]);
    return 2;
}
