package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.RequestTail;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;

import java.util.Optional;

/**
 * queueing_tail: the slowest requests are slow because they wait, not because they work. Fires when queue +
 * batch_wait are ≥ 30 % of the mean latency of the requests at or above the p99 (MODERATE), ≥ 60 % (HIGH), for
 * a request name with at least {@value #MIN_REQUESTS} requests (fewer make a p99 of one or two requests). The
 * worst request name is reported. What-if: the p99 if no request queued longer than the median request does
 * (each request loses its queueing above the median; nearest-rank p99 of the result): what enough workers,
 * a shorter batch wait or admission control would give at best.
 */
public final class QueueingTailRule implements Rule {
    static final int MIN_REQUESTS = 100;

    @Override
    public String id() {
        return "queueing_tail";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        RequestTail worst = null;
        for (RequestTail t : capture.requestTails()) {
            if (t.count() >= MIN_REQUESTS && (worst == null || t.tailQueueingShare() > worst.tailQueueingShare())) {
                worst = t;
            }
        }
        if (worst == null || worst.tailQueueingShare() < 0.30) {
            return Optional.empty();
        }
        RequestTail t = worst;
        double share = t.tailQueueingShare();
        long queue = t.tailPhaseNs(RequestTail.QUEUE);
        long batchWait = t.tailPhaseNs(RequestTail.BATCH_WAIT);
        String change = batchWait > queue
                ? "The tail waits for batches to fill: lower the maximum batch wait (--max-wait-ms) or the maximum batch"
                        + " size, so a batch leaves when the load is light; then add workers if the queue grows"
                : "The tail waits in the queue for a free worker: add workers (or make compute cheaper: see cpu_hotspot),"
                        + " and bound the queue so that excess load is rejected at once (503) instead of queued"
                        + " (admission control); a larger maximum batch raises throughput per worker";
        return Optional.of(new Finding(id(), Rules.score(share, 0.30, 0.60),
                String.format("%s: the slowest 1 %% wait %s of their latency (queue %s, batch_wait %s); p99 %s",
                        t.name(), Units.percent(share), Units.percent(t.tailShare(RequestTail.QUEUE)),
                        Units.percent(t.tailShare(RequestTail.BATCH_WAIT)), Units.duration(t.p99Ns())),
                change,
                String.format("%,d requests, p50 %s, p99 %s; the %,d at or above the p99 take %s on average: queue %s,"
                                + " batch_wait %s, compute %s, respond %s; the median request queues %s",
                        t.count(), Units.duration(t.p50Ns()), Units.duration(t.p99Ns()), t.tailCount(),
                        Units.duration(t.tailMeanNs()), Units.duration(queue), Units.duration(batchWait),
                        Units.duration(t.tailPhaseNs(RequestTail.COMPUTE)), Units.duration(t.tailPhaseNs(RequestTail.RESPOND)),
                        Units.duration(t.medianQueueingNs())),
                new WhatIf("p99_ns", t.p99Ns(), t.p99QueueingAtMedianNs())));
    }
}
