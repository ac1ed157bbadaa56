package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.Category;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUPTI activity tables of the GPU side: kernels, memory copies, memory sets (on GPU_STREAM tracks
 * per (process, device, stream)) and synchronizations (on the stream they wait for, or on the device's
 * "no stream" row for context / event syncs, as Kineto places its {@code cuda_sync} events).
 *
 * <p>Names and arguments follow what the Kineto importer produces for the same activity, so rules and
 * diffs read both alike: a kernel is named by its demangled name (arg {@code shortName} keeps nsys's
 * short name), with {@code grid}, {@code block}, {@code registers per thread}, {@code shared memory};
 * a copy is "Memcpy HtoD (Pageable -> Device)" with {@code bytes}, {@code copyKind} (the number) and
 * {@code copyKindName}; a set is "Memset (Device)". The slice's correlation id is the row's.
 */
final class GpuActivityImport extends TableImport {
    static final String KERNEL = "CUPTI_ACTIVITY_KIND_KERNEL";
    static final String MEMCPY = "CUPTI_ACTIVITY_KIND_MEMCPY";
    static final String MEMSET = "CUPTI_ACTIVITY_KIND_MEMSET";
    static final String SYNC = "CUPTI_ACTIVITY_KIND_SYNCHRONIZATION";
    private static final long INVALID32 = 0xFFFFFFFFL;

    private final ArgSet args = new ArgSet();

    GpuActivityImport(Context c) {
        super(c);
    }

    void run() throws SQLException {
        kernels();
        copies();
        sets();
        syncs();
    }

    /** Common leading columns: start, end, deviceId, streamId, correlationId, globalPid. */
    private static final List<String> HEAD = List.of("start", "end", "deviceId", "streamId", "correlationId",
            "globalPid");

    /** The fields every GPU row starts with, read from a result set. */
    private final class Head {
        long start;
        long end;
        int device;
        long stream;
        long correlation;
        Long globalPid;

        /** Reads the head columns; false (and counted as lost) when the row has no usable interval. */
        boolean read(ResultSet rs, String table, String what) throws SQLException {
            tally.row();
            start = rs.getLong(1);
            boolean noStart = rs.wasNull();
            end = rs.getLong(2);
            boolean noEnd = rs.wasNull();
            long dev = rs.getLong(3);
            device = rs.wasNull() || dev < 0 || dev > Integer.MAX_VALUE ? -1 : (int) dev;
            stream = rs.getLong(4);
            if (rs.wasNull() || stream == INVALID32 || stream < 0) {
                stream = -1;
            }
            long corr = rs.getLong(5);
            boolean noCorr = rs.wasNull();
            long g = rs.getLong(6);
            globalPid = rs.wasNull() ? null : g;
            if (noStart || noEnd) {
                tally.lose(what + " without a start or end time", table + " row at start=" + (noStart ? "NULL" : start)
                        + " end=" + (noEnd ? "NULL" : end) + " correlationId=" + (noCorr ? "NULL" : corr));
                return false;
            }
            if (end < start) {
                tally.lose(what + " ending before it starts", table + " row start=" + start + " end=" + end
                        + " correlationId=" + (noCorr ? "NULL" : corr));
                return false;
            }
            correlation = noCorr ? -1 : globalPid == null ? corr : entities.correlation(globalPid, corr);
            return true;
        }

        void write(String name, Category category) {
            int track = entities.gpuStream(globalPid, device, stream, category == Category.SYNC);
            w.slice(track, start, end - start, w.string(name), category, 0, -1, correlation, w.args(args));
            tally.slices++;
            tally.span(start, end);
        }
    }

    private void kernels() throws SQLException {
        if (!db.has(KERNEL)) {
            return;
        }
        List<String> cols = new ArrayList<>(HEAD);
        cols.addAll(List.of("demangledName", "shortName", "mangledName", "gridX", "gridY", "gridZ", "blockX", "blockY",
                "blockZ", "registersPerThread", "staticSharedMemory", "dynamicSharedMemory", "graphNodeId", "name"));
        Head h = new Head();
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(KERNEL, null, cols, null))) {
            while (rs.next()) {
                if (!h.read(rs, KERNEL, "kernel")) {
                    continue;
                }
                String demangled = stringColumn(rs, 7);
                String shortName = stringColumn(rs, 8);
                String mangled = stringColumn(rs, 9);
                String text = rs.getString(20);
                String name = demangled != null ? demangled : shortName != null ? shortName
                        : mangled != null ? mangled : text != null ? text : "kernel";
                args.clear();
                if (shortName != null) {
                    args.put("shortName", shortName);
                }
                if (mangled != null && !mangled.equals(name)) {
                    args.put("mangledName", mangled);
                }
                String grid = dims(rs, 10);
                if (grid != null) {
                    args.put("grid", grid);
                }
                String block = dims(rs, 13);
                if (block != null) {
                    args.put("block", block);
                }
                putLong(rs, 16, "registers per thread");
                long shared = 0;
                boolean anyShared = false;
                long s = rs.getLong(17);
                if (!rs.wasNull()) {
                    shared += s;
                    anyShared = true;
                }
                long d = rs.getLong(18);
                if (!rs.wasNull()) {
                    shared += d;
                    anyShared = true;
                    args.put("dynamic shared memory", d);
                }
                if (anyShared) {
                    args.put("shared memory", shared); // static + dynamic, as Kineto reports it
                }
                putLong(rs, 19, "graph node");
                h.write(name, Category.KERNEL);
            }
        }
    }

    private void copies() throws SQLException {
        if (!db.has(MEMCPY)) {
            return;
        }
        List<String> cols = new ArrayList<>(HEAD);
        cols.addAll(List.of("bytes", "copyKind", "srcKind", "dstKind", "graphNodeId", "srcDeviceId", "dstDeviceId"));
        Head h = new Head();
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(MEMCPY, null, cols, null))) {
            while (rs.next()) {
                if (!h.read(rs, MEMCPY, "memcpy")) {
                    continue;
                }
                args.clear();
                putLong(rs, 7, "bytes");
                long kind = rs.getLong(8);
                boolean hasKind = !rs.wasNull();
                long src = rs.getLong(9);
                boolean hasSrc = !rs.wasNull();
                long dst = rs.getLong(10);
                boolean hasDst = !rs.wasNull();
                StringBuilder name = new StringBuilder("Memcpy");
                if (hasKind) {
                    name.append(' ').append(NsysEnums.copyShort(kind));
                    args.put("copyKind", kind);
                    args.put("copyKindName", enums.copyLabel(kind));
                }
                if (hasSrc && hasDst) {
                    name.append(" (").append(enums.memoryLabel(src)).append(" -> ").append(enums.memoryLabel(dst))
                            .append(')');
                }
                if (hasSrc) {
                    args.put("srcKind", enums.memoryLabel(src));
                }
                if (hasDst) {
                    args.put("dstKind", enums.memoryLabel(dst));
                }
                putLong(rs, 11, "graph node");
                if (hasKind && kind == 10) { // peer to peer: which devices
                    putLong(rs, 12, "srcDevice");
                    putLong(rs, 13, "dstDevice");
                }
                h.write(name.toString(), Category.MEMCPY);
            }
        }
    }

    private void sets() throws SQLException {
        if (!db.has(MEMSET)) {
            return;
        }
        List<String> cols = new ArrayList<>(HEAD);
        cols.addAll(List.of("bytes", "value", "memKind", "graphNodeId"));
        Head h = new Head();
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(MEMSET, null, cols, null))) {
            while (rs.next()) {
                if (!h.read(rs, MEMSET, "memset")) {
                    continue;
                }
                args.clear();
                putLong(rs, 7, "bytes");
                putLong(rs, 8, "value");
                long kind = rs.getLong(9);
                String name = "Memset";
                if (!rs.wasNull()) {
                    String label = enums.memoryLabel(kind);
                    args.put("memKind", label);
                    name = "Memset (" + label + ")";
                }
                putLong(rs, 10, "graph node");
                h.write(name, Category.MEMSET);
            }
        }
    }

    private void syncs() throws SQLException {
        if (!db.has(SYNC)) {
            return;
        }
        List<String> cols = new ArrayList<>(HEAD);
        cols.addAll(List.of("syncType", "eventId", "contextId"));
        Head h = new Head();
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(SYNC, null, cols, null))) {
            while (rs.next()) {
                if (!h.read(rs, SYNC, "synchronization")) {
                    continue;
                }
                args.clear();
                long type = rs.getLong(7);
                boolean hasType = !rs.wasNull();
                String name = hasType ? enums.syncName(type) : "Sync";
                if (hasType) {
                    args.put("syncType", type);
                    String label = enums.syncLabel(type);
                    if (label != null) {
                        args.put("syncTypeName", label);
                    }
                }
                long event = rs.getLong(8);
                if (!rs.wasNull() && event != INVALID32) {
                    args.put("eventId", event);
                }
                h.write(name, Category.SYNC);
            }
        }
    }

    private String stringColumn(ResultSet rs, int column) throws SQLException {
        long id = rs.getLong(column);
        if (rs.wasNull()) {
            return null;
        }
        String s = db.string(id);
        return s != null ? s : "[nsys string " + id + "]";
    }

    /** "[x, y, z]" as Kineto writes grid and block, or null when the columns are absent. */
    private static String dims(ResultSet rs, int first) throws SQLException {
        long x = rs.getLong(first);
        if (rs.wasNull()) {
            return null;
        }
        long y = rs.getLong(first + 1);
        long z = rs.getLong(first + 2);
        return "[" + x + ", " + y + ", " + z + "]";
    }

    private void putLong(ResultSet rs, int column, String key) throws SQLException {
        long v = rs.getLong(column);
        if (!rs.wasNull()) {
            args.put(key, v);
        }
    }
}
