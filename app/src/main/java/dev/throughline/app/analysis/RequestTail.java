package dev.throughline.app.analysis;

import dev.throughline.app.report.Units;

import java.util.Map;

/**
 * The latency tail of one request name, from a scan of its request, phase and GC slices (docs/analysis.md,
 * "Request latency and its tail"). Percentiles are exact nearest-rank, as in summary_latency. The tail is
 * the requests at or above the p99. Means are floor(sum / count).
 *
 * @param tailPhaseMeanNs      mean time per tail request in each phase ({@code queue}, {@code batch_wait},
 *                             {@code compute}, {@code respond}, any others), then {@code other}: latency not
 *                             covered by a phase
 * @param tailGcOverlapMeanNs  mean time per tail request overlapped by GC pauses of its process
 * @param phaseMeanNs          mean time per request (all requests of the name) in each phase
 * @param medianQueueingNs     the median over all requests of queue + batch_wait
 * @param p99QueueingAtMedianNs the p99 if every request queued at most the median ({@code medianQueueingNs})
 * @param p99WithoutGcNs       the p99 if no request lost time to GC pauses
 * @param gcPauses             GC pause slices in the capture
 */
public record RequestTail(String name, int count, long meanNs, long p50Ns, long p99Ns, int tailCount, long tailMeanNs,
                          Map<String, Long> tailPhaseMeanNs, long tailGcOverlapMeanNs, Map<String, Long> phaseMeanNs,
                          long medianQueueingNs, long p99QueueingAtMedianNs, long p99WithoutGcNs, int gcPauses) {
    public static final String QUEUE = "queue";
    public static final String BATCH_WAIT = "batch_wait";
    public static final String COMPUTE = "compute";
    public static final String RESPOND = "respond";
    /** Latency covered by no phase slice. */
    public static final String OTHER = "other";

    public long tailPhaseNs(String phase) {
        return tailPhaseMeanNs.getOrDefault(phase, 0L);
    }

    /** Share of the tail's latency spent waiting: queue + batch_wait. */
    public double tailQueueingShare() {
        return share(tailPhaseNs(QUEUE) + tailPhaseNs(BATCH_WAIT));
    }

    /** Share of the tail's latency overlapped by GC pauses. */
    public double tailGcShare() {
        return share(tailGcOverlapMeanNs);
    }

    public double tailShare(String phase) {
        return share(tailPhaseNs(phase));
    }

    /** Where the tail's latency goes, phase by phase: {@code queue 61 % · batch_wait 0.2 % · … · other 16 %}. */
    public String tailPhaseShares() {
        StringBuilder parts = new StringBuilder();
        for (Map.Entry<String, Long> e : tailPhaseMeanNs.entrySet()) {
            parts.append(parts.length() == 0 ? "" : " · ").append(e.getKey()).append(' ')
                    .append(Units.percent(tailShare(e.getKey())));
        }
        return parts.toString();
    }

    private double share(long ns) {
        return tailMeanNs == 0 ? 0 : ns / (double) tailMeanNs;
    }
}
