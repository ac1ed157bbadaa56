package dev.throughline.gpu.cupti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Walks one completed CUPTI activity buffer record by record: read {@code kind} (the first 4 bytes of
 * every record), decode the kinds Throughline shows, step over the other kinds the layout knows the
 * size of, and stop at a kind it does not know (its length is unknown, so nothing after it can be
 * found) counting what was left. Plain ByteBuffer reads, little-endian: the same code runs over a
 * direct view of CUPTI's native buffer and over test fixtures.
 */
public final class ActivityBufferDecoder {
    private static final String UNKNOWN_KERNEL = "<unknown kernel>";

    private final CuptiLayout layout;
    private final NameResolver names;
    private final CallbackNames callbacks;
    private final long clockOffsetNs;

    /**
     * @param clockOffsetNs added to every CUPTI timestamp (CLOCK_MONOTONIC minus CUPTI clock; 0 keeps
     *                      CUPTI's own timestamps)
     */
    public ActivityBufferDecoder(CuptiLayout layout, NameResolver names, long clockOffsetNs) {
        this.layout = layout;
        this.names = names;
        this.callbacks = CallbackNames.get();
        this.clockOffsetNs = clockOffsetNs;
    }

    /** What one buffer held. */
    public static final class Result {
        public final int decoded;
        public final int skipped;
        /** The kind that stopped the walk, or 0 when the whole buffer was read. */
        public final int stoppedAtKind;
        /** Bytes after the stop that could not be read as records. */
        public final int bytesNotDecoded;

        Result(int decoded, int skipped, int stoppedAtKind, int bytesNotDecoded) {
            this.decoded = decoded;
            this.skipped = skipped;
            this.stoppedAtKind = stoppedAtKind;
            this.bytesNotDecoded = bytesNotDecoded;
        }

        public boolean complete() {
            return bytesNotDecoded == 0;
        }

        @Override
        public String toString() {
            return decoded + " decoded, " + skipped + " skipped"
                    + (complete() ? "" : ", stopped at kind " + stoppedAtKind + " with " + bytesNotDecoded + " bytes left");
        }
    }

    /** Decodes the records between the buffer's position and limit (CUPTI's validSize). */
    public Result decode(ByteBuffer buffer, Consumer<GpuActivity> out) {
        ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int end = b.limit();
        int at = 0;
        int decoded = 0;
        int skipped = 0;
        while (at + 4 <= end) {
            int kind = b.getInt(at);
            int size = layout.recordSize(kind);
            if (size <= 0 || at + size > end) {
                return new Result(decoded, skipped, kind, end - at);
            }
            GpuActivity a = decodeOne(b, at, kind);
            if (a != null) {
                out.accept(a);
                decoded++;
            } else {
                skipped++;
            }
            at += size;
        }
        return new Result(decoded, skipped, 0, end - at);
    }

    /** The offsets of every record a walk finds, for checking the walk against CUPTI's own. */
    public int[] recordOffsets(ByteBuffer buffer) {
        ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int[] offsets = new int[16];
        int n = 0;
        int at = 0;
        while (at + 4 <= b.limit()) {
            int size = layout.recordSize(b.getInt(at));
            if (size <= 0 || at + size > b.limit()) {
                break;
            }
            if (n == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, n * 2);
            }
            offsets[n++] = at;
            at += size;
        }
        return java.util.Arrays.copyOf(offsets, n);
    }

    private GpuActivity decodeOne(ByteBuffer b, int at, int kind) {
        switch (kind) {
            case CuptiLayout.KIND_KERNEL:
            case CuptiLayout.KIND_CONCURRENT_KERNEL:
                return kernel(b, at);
            case CuptiLayout.KIND_MEMCPY:
                return memcpy(b, at);
            case CuptiLayout.KIND_MEMSET:
                return memset(b, at);
            case CuptiLayout.KIND_SYNCHRONIZATION:
                return sync(b, at);
            case CuptiLayout.KIND_RUNTIME:
            case CuptiLayout.KIND_DRIVER:
                return api(b, at, kind == CuptiLayout.KIND_DRIVER);
            default:
                return null;
        }
    }

    private KernelActivity kernel(ByteBuffer b, int at) {
        long nameAddress = b.getLong(at + CuptiLayout.KERNEL_NAME);
        String name = nameAddress == 0 ? null : names.name(nameAddress);
        int g = at + CuptiLayout.KERNEL_GRID_X;
        return new KernelActivity(
                time(b, at + CuptiLayout.KERNEL_START), time(b, at + CuptiLayout.KERNEL_END),
                u32(b, at + CuptiLayout.KERNEL_CORRELATION), name == null ? UNKNOWN_KERNEL : name,
                b.getInt(at + CuptiLayout.KERNEL_DEVICE), b.getInt(at + CuptiLayout.KERNEL_CONTEXT),
                b.getInt(at + CuptiLayout.KERNEL_STREAM),
                b.getInt(g), b.getInt(g + 4), b.getInt(g + 8), b.getInt(g + 12), b.getInt(g + 16), b.getInt(g + 20),
                Short.toUnsignedInt(b.getShort(at + CuptiLayout.KERNEL_REGISTERS)),
                b.getInt(at + CuptiLayout.KERNEL_STATIC_SHARED), b.getInt(at + CuptiLayout.KERNEL_DYNAMIC_SHARED));
    }

    private MemcpyActivity memcpy(ByteBuffer b, int at) {
        return new MemcpyActivity(
                time(b, at + CuptiLayout.MEMCPY_START), time(b, at + CuptiLayout.MEMCPY_END),
                u32(b, at + CuptiLayout.MEMCPY_CORRELATION),
                Byte.toUnsignedInt(b.get(at + CuptiLayout.MEMCPY_COPY_KIND)),
                Byte.toUnsignedInt(b.get(at + CuptiLayout.MEMCPY_SRC_KIND)),
                Byte.toUnsignedInt(b.get(at + CuptiLayout.MEMCPY_DST_KIND)),
                b.getLong(at + CuptiLayout.MEMCPY_BYTES), b.getInt(at + CuptiLayout.MEMCPY_DEVICE),
                b.getInt(at + CuptiLayout.MEMCPY_CONTEXT), b.getInt(at + CuptiLayout.MEMCPY_STREAM));
    }

    private MemsetActivity memset(ByteBuffer b, int at) {
        return new MemsetActivity(
                time(b, at + CuptiLayout.MEMSET_START), time(b, at + CuptiLayout.MEMSET_END),
                u32(b, at + CuptiLayout.MEMSET_CORRELATION), b.getInt(at + CuptiLayout.MEMSET_VALUE),
                b.getLong(at + CuptiLayout.MEMSET_BYTES),
                Short.toUnsignedInt(b.getShort(at + CuptiLayout.MEMSET_MEMORY_KIND)),
                b.getInt(at + CuptiLayout.MEMSET_DEVICE), b.getInt(at + CuptiLayout.MEMSET_CONTEXT),
                b.getInt(at + CuptiLayout.MEMSET_STREAM));
    }

    private SyncActivity sync(ByteBuffer b, int at) {
        // CUPTI_SYNCHRONIZATION_INVALID_VALUE (0xffffffff) where the field does not apply: -1 here
        int stream = b.getInt(at + CuptiLayout.SYNC_STREAM);
        return new SyncActivity(
                time(b, at + CuptiLayout.SYNC_START), time(b, at + CuptiLayout.SYNC_END),
                u32(b, at + CuptiLayout.SYNC_CORRELATION), b.getInt(at + CuptiLayout.SYNC_TYPE),
                b.getInt(at + CuptiLayout.SYNC_CONTEXT), stream);
    }

    private ApiActivity api(ByteBuffer b, int at, boolean driver) {
        int cbid = b.getInt(at + CuptiLayout.API_CBID);
        return new ApiActivity(driver,
                time(b, at + CuptiLayout.API_START), time(b, at + CuptiLayout.API_END),
                u32(b, at + CuptiLayout.API_CORRELATION), cbid,
                driver ? callbacks.driver(cbid) : callbacks.runtime(cbid),
                u32(b, at + CuptiLayout.API_PROCESS), u32(b, at + CuptiLayout.API_THREAD),
                b.getInt(at + CuptiLayout.API_RETURN));
    }

    private long time(ByteBuffer b, int at) {
        return b.getLong(at) + clockOffsetNs;
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
