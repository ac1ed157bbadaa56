package dev.throughline.app.analysis;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.LongList;
import dev.throughline.storage.summary.IntervalSet;
import dev.throughline.storage.summary.Percentiles;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Request latency tails: one scan of the REQUEST, PHASE and GC slices ({@link CaptureReader#forEachRequestSlice}),
 * joined in memory on {@code request_id} (primitive arrays: ~100k requests and their phases take a few MB), then
 * per request name the tail's phase breakdown, its overlap with GC pauses of the same process, and the two
 * what-if p99s. Also which threads run the request path (compute/respond phases), for {@link CpuSamples}.
 *
 * @param pathThreads {@code thread} rows whose tracks hold compute or respond phases
 */
public record RequestTails(List<RequestTail> byName, Set<Integer> pathThreads) {
    public static final RequestTails NONE = new RequestTails(List.of(), Set.of());
    private static final List<String> KNOWN_PHASES = List.of(RequestTail.QUEUE, RequestTail.BATCH_WAIT,
            RequestTail.COMPUTE, RequestTail.RESPOND);

    public static RequestTails load(CaptureReader reader) throws SQLException {
        Scan scan = new Scan();
        reader.forEachRequestSlice(scan::accept);
        return scan.finish();
    }

    /** What one pass over the slices collects, then joins. */
    private static final class Scan {
        final List<String> requestNames = new ArrayList<>();
        final Map<String, Integer> requestNameIndex = new HashMap<>();
        final LongList reqName = new LongList();
        final LongList reqStart = new LongList();
        final LongList reqDur = new LongList();
        final LongList reqProcess = new LongList();
        final LongList reqKey = new LongList();

        final List<String> phaseNames = new ArrayList<>(KNOWN_PHASES);
        final Map<String, Integer> phaseIndex = new HashMap<>();
        final LongList phaseKey = new LongList();
        final LongList phaseOf = new LongList();
        final LongList phaseDur = new LongList();

        final Map<Integer, IntervalSet.Builder> gcByProcess = new HashMap<>();
        final Set<Integer> pathThreads = new TreeSet<>();

        Scan() {
            for (int i = 0; i < phaseNames.size(); i++) {
                phaseIndex.put(phaseNames.get(i), i);
            }
        }

        void accept(Category category, String name, long startNs, long durNs, long requestId, int processId,
                    int threadId) {
            switch (category) {
                case REQUEST -> {
                    reqName.add(requestNameIndex.computeIfAbsent(name, n -> {
                        requestNames.add(n);
                        return requestNames.size() - 1;
                    }));
                    reqStart.add(startNs);
                    reqDur.add(durNs);
                    reqProcess.add(processId);
                    reqKey.add(requestId < 0 ? Long.MIN_VALUE : key(processId, requestId));
                }
                case PHASE -> {
                    if (requestId >= 0) {
                        phaseKey.add(key(processId, requestId));
                        phaseOf.add(phaseIndex.computeIfAbsent(name, n -> {
                            phaseNames.add(n);
                            return phaseNames.size() - 1;
                        }));
                        phaseDur.add(durNs);
                    }
                    if (threadId >= 0 && (name.equals(RequestTail.COMPUTE) || name.equals(RequestTail.RESPOND))) {
                        pathThreads.add(threadId);
                    }
                }
                case GC -> gcByProcess.computeIfAbsent(processId, p -> new IntervalSet.Builder())
                        .add(startNs, startNs + durNs);
                default -> {
                }
            }
        }

        /** Request ids are unique within a process (the API's counter); the process keeps two apart. */
        private static long key(int processId, long requestId) {
            return ((long) (processId + 1) << 44) ^ requestId;
        }

        RequestTails finish() {
            int n = reqDur.size();
            int phases = phaseNames.size();
            Map<Long, Integer> indexOfKey = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                if (reqKey.get(i) != Long.MIN_VALUE) {
                    indexOfKey.put(reqKey.get(i), i);
                }
            }
            long[] phaseSum = new long[n * phases]; // request i, phase p at i * phases + p
            for (int k = 0; k < phaseKey.size(); k++) {
                Integer i = indexOfKey.get(phaseKey.get(k));
                if (i != null) { // a phase of a request that did not finish in the capture is left out
                    phaseSum[i * phases + (int) phaseOf.get(k)] += phaseDur.get(k);
                }
            }
            Map<Integer, IntervalSet> gc = new HashMap<>();
            IntervalSet.Builder allGc = new IntervalSet.Builder();
            for (Map.Entry<Integer, IntervalSet.Builder> e : gcByProcess.entrySet()) {
                IntervalSet set = e.getValue().build();
                gc.put(e.getKey(), set);
                for (int k = 0; k < set.size(); k++) {
                    allGc.add(set.start(k), set.end(k));
                }
            }
            IntervalSet anyGc = allGc.build();
            int[] gcCount = new int[1];
            gcByProcess.values().forEach(b -> gcCount[0] += b.count());

            List<RequestTail> out = new ArrayList<>();
            for (int name = 0; name < requestNames.size(); name++) {
                out.add(tailOf(name, n, phases, phaseSum, gc, anyGc, gcCount[0]));
            }
            out.sort((a, b) -> a.count() != b.count() ? Integer.compare(b.count(), a.count()) : a.name().compareTo(b.name()));
            return new RequestTails(List.copyOf(out), Set.copyOf(pathThreads));
        }

        private RequestTail tailOf(int name, int n, int phases, long[] phaseSum, Map<Integer, IntervalSet> gc,
                                   IntervalSet anyGc, int gcPauses) {
            int queue = phaseIndex.get(RequestTail.QUEUE);
            int batchWait = phaseIndex.get(RequestTail.BATCH_WAIT);
            LongList members = new LongList();
            for (int i = 0; i < n; i++) {
                if (reqName.get(i) == name) {
                    members.add(i);
                }
            }
            int count = members.size();
            long[] latency = new long[count];
            long[] queueing = new long[count];
            long[] gcOverlap = new long[count];
            long total = 0;
            long[] phaseTotal = new long[phases];
            for (int m = 0; m < count; m++) {
                int i = (int) members.get(m);
                latency[m] = reqDur.get(i);
                total += latency[m];
                queueing[m] = phaseSum[i * phases + queue] + phaseSum[i * phases + batchWait];
                for (int p = 0; p < phases; p++) {
                    phaseTotal[p] += phaseSum[i * phases + p];
                }
                int process = (int) reqProcess.get(i);
                IntervalSet pauses = process < 0 ? anyGc : gc.getOrDefault(process, IntervalSet.EMPTY);
                gcOverlap[m] = pauses.lengthWithin(reqStart.get(i), reqStart.get(i) + latency[m]);
            }
            long[] sorted = latency.clone();
            Arrays.sort(sorted);
            long p50 = Percentiles.nearestRank(sorted, 50);
            long p99 = Percentiles.nearestRank(sorted, 99);
            long[] sortedQueueing = queueing.clone();
            Arrays.sort(sortedQueueing);
            long medianQueueing = Percentiles.nearestRank(sortedQueueing, 50);

            int tailCount = 0;
            long tailTotal = 0;
            long tailGc = 0;
            long[] tailPhase = new long[phases];
            long tailOther = 0;
            long[] queueingAtMedian = new long[count];
            long[] withoutGc = new long[count];
            for (int m = 0; m < count; m++) {
                int i = (int) members.get(m);
                queueingAtMedian[m] = latency[m] - Math.max(0, queueing[m] - medianQueueing);
                withoutGc[m] = latency[m] - gcOverlap[m];
                if (latency[m] >= p99) {
                    tailCount++;
                    tailTotal += latency[m];
                    tailGc += gcOverlap[m];
                    long covered = 0;
                    for (int p = 0; p < phases; p++) {
                        tailPhase[p] += phaseSum[i * phases + p];
                        covered += phaseSum[i * phases + p];
                    }
                    tailOther += Math.max(0, latency[m] - covered);
                }
            }
            Arrays.sort(queueingAtMedian);
            Arrays.sort(withoutGc);

            Map<String, Long> tailMeans = new LinkedHashMap<>();
            Map<String, Long> means = new LinkedHashMap<>();
            for (int p = 0; p < phases; p++) {
                if (phaseTotal[p] > 0 || p < KNOWN_PHASES.size()) {
                    tailMeans.put(phaseNames.get(p), tailPhase[p] / tailCount);
                    means.put(phaseNames.get(p), phaseTotal[p] / count);
                }
            }
            tailMeans.put(RequestTail.OTHER, tailOther / tailCount);
            return new RequestTail(requestNames.get(name), count, total / count, p50, p99, tailCount,
                    tailTotal / tailCount, tailMeans, tailGc / tailCount, means, medianQueueing,
                    Percentiles.nearestRank(queueingAtMedian, 99), Percentiles.nearestRank(withoutGc, 99), gcPauses);
        }
    }
}
