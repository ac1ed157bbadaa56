package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.TrackKind;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Processes, threads and tracks of the capture, created on first use so that only the processes that
 * have events appear (an export's PROCESSES table lists every process of the machine). Names come from
 * {@code PROCESSES} and {@code ThreadNames}; the host name from {@code TARGET_INFO_SYSTEM_ENV}.
 *
 * <p>Tracks: one GPU_STREAM track per (process, device, stream) — the CUDA null stream is marked
 * "(default)" where {@code TARGET_INFO_CUDA_NULL_STREAM} says which it is; per host thread one THREAD
 * track per source ("CUDA API", "NVTX", "OS runtime", …), so that each row nests properly on its own;
 * ASYNC tracks per process for what has no thread (NVTX start/end ranges, process-level overhead);
 * COUNTER tracks for metrics.
 */
final class Entities {
    private final CaptureWriter w;
    private final Map<Long, String> processNames = new HashMap<>();
    private final Map<Long, String> processNamesByPid = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();
    private final Set<String> nullStreams = new HashSet<>();
    private final String host;

    private final Map<Long, Integer> processes = new HashMap<>();
    private final Map<Long, Integer> threads = new HashMap<>();
    private final Map<String, Integer> tracks = new HashMap<>();
    private final Map<Long, Long> correlationOrdinals = new HashMap<>();

    Entities(CaptureWriter w, NsysDatabase db) throws SQLException {
        this.w = w;
        try (Statement st = db.statement()) {
            if (db.has("PROCESSES", "name")) {
                String gpid = db.column("PROCESSES", null, "globalPid");
                String pid = db.column("PROCESSES", null, "pid");
                try (ResultSet rs = st.executeQuery("SELECT " + gpid + ", " + pid + ", name FROM PROCESSES")) {
                    while (rs.next()) {
                        String name = rs.getString(3);
                        if (name == null || name.isEmpty()) {
                            continue;
                        }
                        long g = rs.getLong(1);
                        if (!rs.wasNull()) {
                            processNames.putIfAbsent(GlobalIds.processKey(g), name);
                        }
                        long p = rs.getLong(2);
                        if (!rs.wasNull()) {
                            processNamesByPid.putIfAbsent(p, name);
                        }
                    }
                }
            }
            if (db.has("ThreadNames", "nameId") && db.has("ThreadNames", "globalTid")) {
                Map<Long, Long> ids = new HashMap<>();
                try (ResultSet rs = st.executeQuery("SELECT globalTid, nameId FROM ThreadNames")) {
                    while (rs.next()) {
                        long g = rs.getLong(1);
                        if (!rs.wasNull()) {
                            ids.put(g, rs.getLong(2));
                        }
                    }
                }
                for (Map.Entry<Long, Long> e : ids.entrySet()) {
                    String name = db.string(e.getValue());
                    if (name != null) {
                        threadNames.put(e.getKey(), name);
                    }
                }
            }
            if (db.has("TARGET_INFO_CUDA_NULL_STREAM", "streamId")) {
                String pid = db.column("TARGET_INFO_CUDA_NULL_STREAM", null, "processId");
                String dev = db.column("TARGET_INFO_CUDA_NULL_STREAM", null, "deviceId");
                try (ResultSet rs = st.executeQuery("SELECT " + pid + ", " + dev + ", streamId"
                        + " FROM TARGET_INFO_CUDA_NULL_STREAM")) {
                    while (rs.next()) {
                        nullStreams.add(rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getLong(3));
                    }
                }
            }
            String hostName = null;
            if (db.has("TARGET_INFO_SYSTEM_ENV", "name") && db.has("TARGET_INFO_SYSTEM_ENV", "value")) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT value FROM TARGET_INFO_SYSTEM_ENV WHERE name = 'Hostname' LIMIT 1")) {
                    if (rs.next()) {
                        hostName = rs.getString(1);
                    }
                }
            }
            host = hostName == null || hostName.isBlank() ? null : hostName.trim();
        }
    }

    /** Names a thread from an NVTX "name OS thread" event, unless ThreadNames already names it. */
    void nvtxThreadName(long globalTid, String name) {
        if (name == null || name.isEmpty() || threadNames.containsKey(globalTid)) {
            return;
        }
        threadNames.put(globalTid, name);
        Integer id = threads.get(globalTid);
        if (id != null) {
            w.threadName(id, name);
        }
    }

    /** Whether the process of {@code globalId} already has rows in the capture (events of its own). */
    boolean traced(long globalId) {
        return processes.containsKey(GlobalIds.processKey(globalId));
    }

    /** The capture's process of a {@code globalPid} or {@code globalTid}. */
    int process(long globalId) {
        long key = GlobalIds.processKey(globalId);
        Integer id = processes.get(key);
        if (id == null) {
            long pid = GlobalIds.pid(key);
            String name = processNames.get(key);
            if (name == null) {
                name = processNamesByPid.get(pid);
            }
            id = w.process(pid, name);
            if (host != null) {
                w.processDetails(id, host, null, null, null);
            }
            processes.put(key, id);
        }
        return id;
    }

    int thread(long globalTid) {
        Integer id = threads.get(globalTid);
        if (id == null) {
            id = w.thread(process(globalTid), GlobalIds.tid(globalTid), threadNames.get(globalTid));
            threads.put(globalTid, id);
        }
        return id;
    }

    /** The {@code label} row of a host thread ("CUDA API", "NVTX", …); a tid of 0 means the whole process. */
    int threadTrack(long globalTid, String label) {
        if (GlobalIds.tid(globalTid) == 0) {
            return processTrack(globalTid, label);
        }
        String key = "t:" + globalTid + ':' + label;
        Integer track = tracks.get(key);
        if (track == null) {
            track = w.track(TrackKind.THREAD, process(globalTid), thread(globalTid), null, null, label);
            tracks.put(key, track);
        }
        return track;
    }

    /** A process-level row (no thread): ASYNC. */
    int processTrack(long globalId, String label) {
        long p = GlobalIds.processKey(globalId);
        String key = "p:" + p + ':' + label;
        Integer track = tracks.get(key);
        if (track == null) {
            track = w.track(TrackKind.ASYNC, process(p), null, null, null, label);
            tracks.put(key, track);
        }
        return track;
    }

    /**
     * The GPU stream row; {@code globalPid} may be null (old exports without it), {@code stream} -1 for none
     * (context and event synchronizations name no stream).
     */
    int gpuStream(Long globalPid, int device, long stream, boolean sync) {
        String key = "g:" + globalPid + ':' + device + ':' + stream;
        Integer track = tracks.get(key);
        if (track == null) {
            String name;
            if (stream < 0) {
                name = sync ? "synchronization (no stream)" : "no stream";
            } else {
                boolean isNull = globalPid != null
                        && nullStreams.contains(GlobalIds.pid(globalPid) + ":" + device + ":" + stream);
                name = "stream " + stream + (isNull ? " (default)" : "");
            }
            track = w.track(TrackKind.GPU_STREAM, globalPid == null ? null : process(globalPid), null, device, stream,
                    name);
            tracks.put(key, track);
        }
        return track;
    }

    /** A counter row, of a process (or none: {@code globalId} null) and a device (or none). */
    int counter(Long globalId, Integer device, String name) {
        String key = "c:" + (globalId == null ? "-" : GlobalIds.processKey(globalId)) + ':' + device + ':' + name;
        Integer track = tracks.get(key);
        if (track == null) {
            track = w.track(TrackKind.COUNTER, globalId == null ? null : process(globalId), null, device, null, name);
            tracks.put(key, track);
        }
        return track;
    }

    /**
     * A correlation id unique in the capture. CUPTI numbers correlations per process, so a report of
     * several CUDA processes (one per rank) repeats them; the first process to ask keeps its ids as they
     * are, the n-th (from 0) gets {@code n << 32 | id} (CUPTI ids are 32-bit). Single-process reports keep
     * the file's ids.
     */
    long correlation(long globalId, long correlationId) {
        long key = GlobalIds.processKey(globalId);
        Long ordinal = correlationOrdinals.get(key);
        if (ordinal == null) {
            ordinal = (long) correlationOrdinals.size();
            correlationOrdinals.put(key, ordinal);
        }
        return ordinal << 32 | (correlationId & 0xFFFFFFFFL);
    }

    /** Whether correlation ids were renumbered (more than one process asked). */
    boolean correlationsRenumbered() {
        return correlationOrdinals.size() > 1;
    }
}
