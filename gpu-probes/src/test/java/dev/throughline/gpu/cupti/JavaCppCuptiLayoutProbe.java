package dev.throughline.gpu.cupti;

import org.bytedeco.cuda.cupti.CUpti_ActivityAPI;
import org.bytedeco.cuda.cupti.CUpti_ActivityKernel11;
import org.bytedeco.cuda.cupti.CUpti_ActivityMemcpy6;
import org.bytedeco.cuda.cupti.CUpti_ActivityMemset4;
import org.bytedeco.cuda.cupti.CUpti_ActivityOverhead3;
import org.bytedeco.cuda.cupti.CUpti_ActivitySynchronization2;
import org.bytedeco.cuda.global.cupti;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA 13.1 side of the layout check, where no 13.1 headers are at hand: the JavaCPP preset was
 * compiled against them, and its JNI library knows every member's offset (Loader.offsetof) and every
 * struct's size (Loader.sizeof). Run in its own JVM with -Dorg.bytedeco.javacpp.loadlibraries=false,
 * loading the toolkit's libcupti.so.13 and the preset's libjnicupti.so by hand (no driver needed).
 * Prints the same lines as cupti_layout.c and, given a directory, fills 13.1 structs through the
 * preset's own setters into activities.bin + activities.expected.txt (same values as the C fixture).
 *
 * <p>Usage: JavaCppCuptiLayoutProbe LIBCUPTI [OUT_DIR]
 */
public final class JavaCppCuptiLayoutProbe {
    static final long NAME_ADDRESS = 0x7f00deadbeef10L;
    static final String KERNEL_NAME = "ampere_sgemm_128x64_nn";

    public static void main(String[] args) throws Exception {
        System.load(args[0]);
        File jni = Loader.cacheResource("/org/bytedeco/cuda/" + Loader.getPlatform() + "/libjnicupti.so");
        System.load(jni.getAbsolutePath());
        for (String line : layout()) {
            System.out.println(line);
        }
        if (args.length > 1) {
            fixture(Path.of(args[1]));
        }
    }

    static List<String> layout() throws Exception {
        List<String> out = new ArrayList<>();
        out.add("version CUPTI_API_VERSION " + cupti.CUPTI_API_VERSION);
        String[] kinds = {"MEMCPY", "MEMSET", "KERNEL", "DRIVER", "RUNTIME", "DEVICE", "CONTEXT", "CONCURRENT_KERNEL",
            "NAME", "MARKER", "MARKER_DATA", "OVERHEAD", "CDP_KERNEL", "MEMCPY2", "CUDA_EVENT", "STREAM",
            "SYNCHRONIZATION", "EXTERNAL_CORRELATION", "MEMORY", "MEMORY2", "MEMORY_POOL", "GRAPH_TRACE", "JIT"};
        for (String k : kinds) {
            out.add("kind CUPTI_ACTIVITY_KIND_" + k + " " + cupti.class.getField("CUPTI_ACTIVITY_KIND_" + k).getInt(null));
        }
        fields(out, "CUpti_ActivityKernel11", "kind", "registersPerThread", "start", "end", "deviceId", "contextId",
                "streamId", "gridX", "gridY", "gridZ", "blockX", "blockY", "blockZ", "staticSharedMemory",
                "dynamicSharedMemory", "correlationId", "gridId", "name", "graphId");
        fields(out, "CUpti_ActivityMemcpy6", "kind", "copyKind", "srcKind", "dstKind", "bytes", "start", "end",
                "deviceId", "contextId", "streamId", "correlationId");
        fields(out, "CUpti_ActivityMemset4", "kind", "value", "bytes", "start", "end", "deviceId", "contextId",
                "streamId", "correlationId", "memoryKind");
        fields(out, "CUpti_ActivitySynchronization2", "kind", "type", "start", "end", "correlationId", "contextId",
                "streamId", "cudaEventId");
        fields(out, "CUpti_ActivityAPI", "kind", "cbid", "start", "end", "processId", "threadId", "correlationId",
                "returnValue");
        for (String s : new String[] {"CUpti_ActivityDevice5", "CUpti_ActivityContext4", "CUpti_ActivityName",
            "CUpti_ActivityMarker2", "CUpti_ActivityMarkerData2", "CUpti_ActivityOverhead3", "CUpti_ActivityCdpKernel",
            "CUpti_ActivityMemcpyPtoP4", "CUpti_ActivityCudaEvent2", "CUpti_ActivityStream",
            "CUpti_ActivityExternalCorrelation", "CUpti_ActivityMemory", "CUpti_ActivityMemory4",
            "CUpti_ActivityMemoryPool3", "CUpti_ActivityGraphTrace2", "CUpti_ActivityJit2"}) {
            out.add("sizeof " + s + " " + Loader.sizeof(struct(s)));
        }
        return out;
    }

    /** Offsets from the JNI library; member sizes from the preset's accessor types (C types, as generated). */
    private static void fields(List<String> out, String struct, String... names) throws Exception {
        Class<? extends Pointer> c = struct(struct);
        for (String f : names) {
            Method getter = c.getMethod(f);
            Class<?> t = getter.getReturnType();
            int size = t == byte.class ? 1 : t == short.class ? 2 : t == int.class ? 4 : 8; // long or a pointer
            out.add("field " + struct + "." + f + " " + Loader.offsetof(c, f) + " " + size);
        }
        out.add("sizeof " + struct + " " + Loader.sizeof(c));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Pointer> struct(String name) throws ClassNotFoundException {
        return (Class<? extends Pointer>) Class.forName("org.bytedeco.cuda.cupti." + name);
    }

    /** A BytePointer at an arbitrary address: how a fixture stores a name pointer it never dereferences. */
    private static final class At extends BytePointer {
        At(long address) {
            this.address = address;
        }
    }

    static void fixture(Path dir) throws Exception {
        Files.createDirectories(dir);
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream exp = new PrintStream(text, true, "UTF-8");
        exp.println("name-address " + NAME_ADDRESS + " " + KERNEL_NAME);

        CUpti_ActivityKernel11 k = new CUpti_ActivityKernel11();
        k.kind(cupti.CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL).registersPerThread((short) 122)
                .start(1700000000000001000L).end(1700000000002501000L).deviceId(0).contextId(1).streamId(7)
                .gridX(32).gridY(16).gridZ(1).blockX(256).blockY(1).blockZ(1).staticSharedMemory(12288)
                .dynamicSharedMemory(4096).correlationId(41).gridId(9001).name(new At(NAME_ADDRESS));
        append(bin, k, Loader.sizeof(CUpti_ActivityKernel11.class));
        exp.println("kernel name=" + KERNEL_NAME + " device=0 context=1 stream=7 correlation=41"
                + " start=1700000000000001000 end=1700000000002501000 grid=32,16,1 block=256,1,1 registers=122"
                + " sharedStatic=12288 sharedDynamic=4096");

        CUpti_ActivityMemcpy6 m = new CUpti_ActivityMemcpy6();
        m.kind(cupti.CUPTI_ACTIVITY_KIND_MEMCPY).copyKind((byte) cupti.CUPTI_ACTIVITY_MEMCPY_KIND_HTOD)
                .srcKind((byte) cupti.CUPTI_ACTIVITY_MEMORY_KIND_PAGEABLE)
                .dstKind((byte) cupti.CUPTI_ACTIVITY_MEMORY_KIND_DEVICE).bytes(67108864L)
                .start(1700000000003000000L).end(1700000000009000000L).deviceId(0).contextId(1).streamId(7)
                .correlationId(42);
        append(bin, m, Loader.sizeof(CUpti_ActivityMemcpy6.class));
        exp.println("memcpy copyKind=1 src=1 dst=3 bytes=67108864 device=0 context=1 stream=7 correlation=42"
                + " start=1700000000003000000 end=1700000000009000000");

        CUpti_ActivityOverhead3 o = new CUpti_ActivityOverhead3();
        o.kind(cupti.CUPTI_ACTIVITY_KIND_OVERHEAD);
        append(bin, o, Loader.sizeof(CUpti_ActivityOverhead3.class));

        CUpti_ActivityMemset4 s = new CUpti_ActivityMemset4();
        s.kind(cupti.CUPTI_ACTIVITY_KIND_MEMSET).value(0).bytes(4194304L).start(1700000000010000000L)
                .end(1700000000010040000L).deviceId(0).contextId(1).streamId(13).correlationId(43)
                .memoryKind((short) cupti.CUPTI_ACTIVITY_MEMORY_KIND_DEVICE);
        append(bin, s, Loader.sizeof(CUpti_ActivityMemset4.class));
        exp.println("memset value=0 bytes=4194304 memoryKind=3 device=0 context=1 stream=13 correlation=43"
                + " start=1700000000010000000 end=1700000000010040000");

        CUpti_ActivitySynchronization2 y = new CUpti_ActivitySynchronization2();
        y.kind(cupti.CUPTI_ACTIVITY_KIND_SYNCHRONIZATION)
                .type(cupti.CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_STREAM_SYNCHRONIZE).start(1700000000010050000L)
                .end(1700000000012000000L).correlationId(44).contextId(1).streamId(7).cudaEventId(0xffffffff);
        append(bin, y, Loader.sizeof(CUpti_ActivitySynchronization2.class));
        exp.println("sync type=3 context=1 stream=7 correlation=44 start=1700000000010050000 end=1700000000012000000");

        CUpti_ActivityAPI r = new CUpti_ActivityAPI();
        r.kind(cupti.CUPTI_ACTIVITY_KIND_RUNTIME).cbid(cupti.CUPTI_RUNTIME_TRACE_CBID_cudaMemcpyAsync_v3020)
                .start(1700000000002900000L).end(1700000000002950000L).processId(4242).threadId(4250)
                .correlationId(42).returnValue(0);
        append(bin, r, Loader.sizeof(CUpti_ActivityAPI.class));
        exp.println("runtime cbid=" + cupti.CUPTI_RUNTIME_TRACE_CBID_cudaMemcpyAsync_v3020
                + " name=cudaMemcpyAsync process=4242 thread=4250 correlation=42"
                + " start=1700000000002900000 end=1700000000002950000");

        CUpti_ActivityAPI d = new CUpti_ActivityAPI();
        d.kind(cupti.CUPTI_ACTIVITY_KIND_DRIVER).cbid(cupti.CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel)
                .start(1700000000000000100L).end(1700000000000000900L).processId(4242).threadId(4250)
                .correlationId(41).returnValue(0);
        append(bin, d, Loader.sizeof(CUpti_ActivityAPI.class));
        exp.println("driver cbid=" + cupti.CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel
                + " name=cuLaunchKernel process=4242 thread=4250 correlation=41"
                + " start=1700000000000000100 end=1700000000000000900");

        Files.write(dir.resolve("activities.bin"), bin.toByteArray());
        Files.write(dir.resolve("activities.expected.txt"), text.toString("UTF-8").getBytes(StandardCharsets.UTF_8));
    }

    private static void append(ByteArrayOutputStream out, Pointer struct, int size) {
        byte[] bytes = new byte[size];
        new BytePointer(struct).capacity(size).get(bytes);
        out.write(bytes, 0, size);
    }
}
