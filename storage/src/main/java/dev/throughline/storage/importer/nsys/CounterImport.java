package dev.throughline.storage.importer.nsys;


import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sampled values → counter tracks:
 * <ul>
 * <li>{@code GPU_METRICS} ({@code --gpu-metrics-devices}: SM active, DRAM bandwidth, …): one track per
 * metric (and per GPU where the report samples several), named from {@code TARGET_INFO_GPU_METRICS}.</li>
 * <li>{@code CUDA_GPU_MEMORY_USAGE_EVENTS} ({@code --cuda-memory-usage}): allocations and frees become the
 * bytes allocated per process, device and memory kind ("CUDA memory allocated: Device"), a running sum
 * from 0 at the start of the capture.</li>
 * <li>The WDDM memory events of Windows reports ({@code GPU_MEMORY_USAGE_EVENTS},
 * {@code GPU_MEMORY_BUDGET_EVENTS}, {@code TOTAL_BYTES_RESIDENT_IN_SEGMENT_EVENTS}): per traced process, the
 * rest summed (see {@link #wddm}).</li>
 * </ul>
 */
final class CounterImport extends TableImport {

    CounterImport(Context c) {
        super(c);
    }

    void run() throws SQLException {
        gpuMetrics();
        cudaMemory();
        wddm("GPU_MEMORY_USAGE_EVENTS", "newUsage", "GPU memory usage");
        wddm("GPU_MEMORY_BUDGET_EVENTS", "newBudget", "GPU memory budget");
        wddm("TOTAL_BYTES_RESIDENT_IN_SEGMENT_EVENTS", "totalBytesResident", "bytes resident");
    }

    private void gpuMetrics() throws SQLException {
        String table = "GPU_METRICS";
        String time = db.firstColumn(table, "timestamp", "rawTimestamp", "start");
        if (!db.has(table) || time == null || !db.has(table, "metricId") || !db.has(table, "value")) {
            if (db.has(table)) {
                long n = db.count(table);
                tally.rows(n);
                tally.lose("GPU metric samples in an unknown layout", n, table + " has columns " + columnsOf(table));
            }
            return;
        }
        // names: (typeId, metricId) → metricName, and typeId → typeName
        Map<String, String> names = new HashMap<>();
        Map<Long, String> typeNames = new HashMap<>();
        String info = "TARGET_INFO_GPU_METRICS";
        if (db.has(info, "metricId")) {
            String nameCol = db.firstColumn(info, "metricName", "name");
            try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(info, null,
                    List.of("typeId", "metricId", nameCol == null ? "metricName" : nameCol, "typeName"), null))) {
                while (rs.next()) {
                    long type = rs.getLong(1);
                    boolean noType = rs.wasNull();
                    long metric = rs.getLong(2);
                    String name = rs.getString(3);
                    String typeName = rs.getString(4);
                    if (name != null) {
                        names.put((noType ? "-" : Long.toString(type)) + ":" + metric, name);
                        names.putIfAbsent("*:" + metric, name);
                    }
                    if (!noType && typeName != null) {
                        typeNames.put(type, typeName);
                    }
                }
            }
        }
        Set<Long> types = new HashSet<>();
        if (db.has(table, "typeId")) {
            try (Statement st = db.statement();
                 ResultSet rs = st.executeQuery("SELECT DISTINCT typeId FROM " + table)) {
                while (rs.next()) {
                    types.add(rs.getLong(1));
                }
            }
        }
        boolean severalGpus = types.size() > 1;
        Map<String, Integer> tracks = new HashMap<>();
        String sql = db.select(table, null, List.of(time, "typeId", "metricId", "value"), null);
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                long ts = rs.getLong(1);
                boolean noTs = rs.wasNull();
                long type = rs.getLong(2);
                boolean noType = rs.wasNull();
                long metric = rs.getLong(3);
                double value = rs.getDouble(4);
                boolean noValue = rs.wasNull();
                if (noTs || noValue) {
                    tally.lose("GPU metric sample without a time or value", table + " row metricId=" + metric);
                    continue;
                }
                String key = (noType ? "-" : Long.toString(type)) + ":" + metric;
                Integer track = tracks.get(key);
                if (track == null) {
                    String name = names.get(key);
                    if (name == null) {
                        name = names.getOrDefault("*:" + metric, "GPU metric " + metric);
                    }
                    if (severalGpus && !noType) {
                        String typeName = typeNames.get(type);
                        name = name + " [" + (typeName != null ? typeName + " " : "") + "type " + type + "]";
                    }
                    track = entities.counter(null, null, name);
                    tracks.put(key, track);
                }
                w.counter(track, ts, value);
                tally.counterPoints++;
                tally.span(ts, ts);
            }
        }
    }

    private void cudaMemory() throws SQLException {
        String table = "CUDA_GPU_MEMORY_USAGE_EVENTS";
        if (!db.has(table)) {
            return;
        }
        if (!db.has(table, "start") || !db.has(table, "bytes") || !db.has(table, "memoryOperationType")) {
            long n = db.count(table);
            tally.rows(n);
            tally.lose("CUDA memory usage events in an unknown layout", n, table + " has columns " + columnsOf(table));
            return;
        }
        Map<String, double[]> totals = new HashMap<>();
        Map<String, Integer> tracks = new HashMap<>();
        String sql = db.select(table, null, List.of("start", "globalPid", "deviceId", "memKind", "bytes",
                "memoryOperationType"), "ORDER BY 1");
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                long ts = rs.getLong(1);
                long g = rs.getLong(2);
                Long globalPid = rs.wasNull() ? null : g;
                long d = rs.getLong(3);
                Integer device = rs.wasNull() ? null : (int) d;
                long kind = rs.getLong(4);
                boolean noKind = rs.wasNull();
                long bytes = rs.getLong(5);
                long op = rs.getLong(6);
                boolean noOp = rs.wasNull();
                if (noOp || (op != 0 && op != 1)) {
                    tally.lose("CUDA memory event neither an allocation nor a free", table + " row at " + ts
                            + " memoryOperationType=" + (noOp ? "NULL" : op));
                    continue;
                }
                String name = "CUDA memory allocated: " + (noKind ? "all kinds" : enums.memoryLabel(kind));
                String key = globalPid + ":" + device + ":" + name;
                double[] total = totals.computeIfAbsent(key, k -> new double[1]);
                total[0] += op == 0 ? bytes : -bytes;
                Integer track = tracks.get(key);
                if (track == null) {
                    track = entities.counter(globalPid, device, name);
                    tracks.put(key, track);
                }
                w.counter(track, ts, total[0]);
                tally.counterPoints++;
                tally.span(ts, ts);
            }
        }
    }

    /**
     * WDDM (Windows) memory events: timestamp, globalTid, gpu, value, segmentGroup[, segmentId]. Windows
     * reports them for every process of the desktop (browsers, mail, chat clients, …): rows of the traced
     * processes (those with CUDA, NVTX or OS runtime events) become their counters; the other processes are
     * summed into one "(other processes, total)" counter per adapter and segment, so that no row is lost and
     * the capture does not list (and share) the names of everything else the user had open.
     */
    private void wddm(String table, String valueColumn, String label) throws SQLException {
        if (!db.has(table)) {
            return;
        }
        if (!db.has(table, "timestamp") || !db.has(table, valueColumn)) {
            long n = db.count(table);
            tally.rows(n);
            tally.lose(table + " rows in an unknown layout", n, table + " has columns " + columnsOf(table));
            return;
        }
        Map<String, Integer> tracks = new HashMap<>();
        Map<String, Map<Long, Double>> others = new HashMap<>(); // aggregate → process → its latest value
        Map<String, double[]> otherTotals = new HashMap<>();
        String sql = db.select(table, null, List.of("timestamp", "globalTid", "gpu", valueColumn, "segmentGroup",
                "segmentId"), "ORDER BY 1");
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                long ts = rs.getLong(1);
                long g = rs.getLong(2);
                Long globalTid = rs.wasNull() ? null : g;
                long gpu = rs.getLong(3);
                double value = rs.getDouble(4);
                boolean noValue = rs.wasNull();
                long group = rs.getLong(5);
                boolean noGroup = rs.wasNull();
                long segment = rs.getLong(6);
                boolean noSegment = rs.wasNull();
                if (noValue) {
                    tally.lose(table + " row without a value", table + " row at " + ts);
                    continue;
                }
                String where = "WDDM adapter " + gpu + (noGroup ? "" : ", segment group " + group)
                        + (noSegment ? "" : ", segment " + segment);
                boolean traced = globalTid != null && entities.traced(globalTid);
                double point = value;
                String name;
                String key;
                if (traced) {
                    name = label + " (" + where + ")";
                    key = GlobalIds.processKey(globalTid) + ":" + name;
                } else {
                    name = label + " (other processes, total; " + where + ")";
                    key = "-:" + name;
                    Map<Long, Double> latest = others.computeIfAbsent(key, k -> new HashMap<>());
                    double[] total = otherTotals.computeIfAbsent(key, k -> new double[1]);
                    Double before = latest.put(globalTid == null ? -1L : GlobalIds.processKey(globalTid), value);
                    total[0] += value - (before == null ? 0 : before);
                    point = total[0];
                }
                Integer track = tracks.get(key);
                if (track == null) {
                    track = entities.counter(traced ? globalTid : null, null, name);
                    tracks.put(key, track);
                }
                w.counter(track, ts, point);
                tally.counterPoints++;
                tally.span(ts, ts);
            }
        }
    }

    private String columnsOf(String table) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement st = db.statement();
             ResultSet rs = st.executeQuery("PRAGMA table_info(" + NsysDatabase.quote(table) + ")")) {
            while (rs.next()) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(rs.getString("name"));
            }
        }
        return sb.toString();
    }
}
