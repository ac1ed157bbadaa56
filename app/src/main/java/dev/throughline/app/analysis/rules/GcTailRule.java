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
 * gc_tail: GC pauses land on the slowest requests. Fires when the time the requests at or above the p99
 * overlap GC pause slices of their process is ≥ 10 % of their mean latency (MODERATE), ≥ 30 % (HIGH), for a
 * request name with at least {@value QueueingTailRule#MIN_REQUESTS} requests; the worst name is reported.
 * What-if: the p99 if every request lost its overlapped pause time (nearest-rank p99 of latency − overlap), i.e.
 * with pauses short enough not to matter.
 */
public final class GcTailRule implements Rule {
    @Override
    public String id() {
        return "gc_tail";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        RequestTail worst = null;
        for (RequestTail t : capture.requestTails()) {
            if (t.count() >= QueueingTailRule.MIN_REQUESTS && (worst == null || t.tailGcShare() > worst.tailGcShare())) {
                worst = t;
            }
        }
        if (worst == null || worst.tailGcShare() < 0.10) {
            return Optional.empty();
        }
        RequestTail t = worst;
        double share = t.tailGcShare();
        return Optional.of(new Finding(id(), Rules.score(share, 0.10, 0.30),
                String.format("%s: GC pauses take %s of the slowest 1 %% of requests (%s of %s on average); p99 %s",
                        t.name(), Units.percent(share), Units.duration(t.tailGcOverlapMeanNs()),
                        Units.duration(t.tailMeanNs()), Units.duration(t.p99Ns())),
                "Allocate less per request (reuse buffers, avoid boxing and temporary copies), give the heap room"
                        + " (-Xmx, and a young generation large enough that request garbage dies there), or use a"
                        + " low-pause collector (-XX:+UseZGC, or G1 with -XX:MaxGCPauseMillis); -Xlog:gc shows each pause",
                String.format("%,d GC pauses in the capture; the %,d requests at or above the p99 (%s) overlap them"
                                + " for %s of their %s mean latency",
                        t.gcPauses(), t.tailCount(), Units.duration(t.p99Ns()), Units.duration(t.tailGcOverlapMeanNs()),
                        Units.duration(t.tailMeanNs())),
                new WhatIf("p99_ns", t.p99Ns(), t.p99WithoutGcNs())));
    }
}
