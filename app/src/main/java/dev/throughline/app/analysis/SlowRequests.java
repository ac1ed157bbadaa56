package dev.throughline.app.analysis;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.LongList;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The slowest requests of a serving capture, each with its phases (summed per phase name over the request's phase
 * slices, joined on {@code request_id} within the process, as {@link RequestTails} joins them) and its overlap with GC
 * pauses of its process. One scan of the request, phase and GC slices; for the workbench's Requests view.
 */
public final class SlowRequests {
    /**
     * @param startNs  from the capture's start
     * @param otherNs  latency covered by none of the four phases
     * @param gcNs     time inside GC pauses of the request's process
     */
    public record Request(String name, long requestId, long startNs, long durNs, long queueNs, long batchWaitNs,
                          long computeNs, long respondNs, long otherNs, long gcNs) {
    }

    private static final List<String> PHASES = List.of(RequestTail.QUEUE, RequestTail.BATCH_WAIT, RequestTail.COMPUTE,
            RequestTail.RESPOND);

    private SlowRequests() {
    }

    /** The {@code limit} slowest requests, slowest first. */
    public static List<Request> load(CaptureReader reader, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        Map<String, Integer> nameIndex = new HashMap<>();
        LongList reqName = new LongList();
        LongList reqId = new LongList();
        LongList reqStart = new LongList();
        LongList reqDur = new LongList();
        LongList reqProcess = new LongList();
        Map<Long, long[]> phases = new HashMap<>(); // (process, request id) → the four phases' sums
        Map<Integer, List<long[]>> gc = new HashMap<>();
        reader.forEachRequestSlice((category, name, startNs, durNs, requestId, processId, threadId) -> {
            switch (category) {
                case REQUEST -> {
                    reqName.add(nameIndex.computeIfAbsent(name, n -> {
                        names.add(n);
                        return names.size() - 1;
                    }));
                    reqId.add(requestId);
                    reqStart.add(startNs);
                    reqDur.add(durNs);
                    reqProcess.add(processId);
                }
                case PHASE -> {
                    int p = PHASES.indexOf(name);
                    if (p >= 0 && requestId >= 0) {
                        phases.computeIfAbsent(key(processId, requestId), k -> new long[PHASES.size()])[p] += durNs;
                    }
                }
                case GC -> gc.computeIfAbsent(processId, k -> new ArrayList<>()).add(new long[] {startNs, startNs + durNs});
                default -> {
                }
            }
        });
        int n = reqDur.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(reqDur.get(b), reqDur.get(a)));
        long origin = reader.timeOriginNs();
        List<Request> out = new ArrayList<>(Math.min(limit, n));
        for (int k = 0; k < Math.min(limit, n); k++) {
            int i = order[k];
            long id = reqId.get(i);
            int process = (int) reqProcess.get(i);
            long[] p = id < 0 ? null : phases.get(key(process, id));
            p = p == null ? new long[PHASES.size()] : p;
            long start = reqStart.get(i);
            long dur = reqDur.get(i);
            long covered = p[0] + p[1] + p[2] + p[3];
            out.add(new Request(names.get((int) reqName.get(i)), id, start - origin, dur, p[0], p[1], p[2], p[3],
                    Math.max(0, dur - covered), overlap(gc.getOrDefault(process, List.of()), start, start + dur)));
        }
        return out;
    }

    /** Pauses do not overlap one another (one GC at a time per process), so their overlaps add up. */
    static long overlap(List<long[]> pauses, long from, long to) {
        long sum = 0;
        for (long[] g : pauses) {
            sum += Math.max(0, Math.min(to, g[1]) - Math.max(from, g[0]));
        }
        return sum;
    }

    private static long key(int processId, long requestId) {
        return ((long) (processId + 1) << 44) ^ requestId;
    }
}
