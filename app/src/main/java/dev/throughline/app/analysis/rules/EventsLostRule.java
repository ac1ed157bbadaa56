package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.storage.model.LossRow;

import java.util.Optional;

/**
 * events_lost: the capture is missing events (dropped by an agent, or unsupported by an importer),
 * so every other figure is a lower bound. Score grows with the lost share of all events:
 * MODERATE from 1 %, HIGH from 10 %. No what-if: nothing to speed up, only to know.
 */
public final class EventsLostRule implements Rule {
    @Override
    public String id() {
        return "events_lost";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        long lost = capture.lostEvents();
        if (lost == 0) {
            return Optional.empty();
        }
        long kept = capture.eventCounts().values().stream().mapToLong(Long::longValue).sum();
        double share = lost / (double) (lost + kept);
        LossRow biggest = capture.loss().stream().max((a, b) -> Long.compare(a.count(), b.count())).orElseThrow();
        return Optional.of(new Finding(id(), Rules.score(share, 0.01, 0.10),
                String.format("%,d events were not captured (%s of all)", lost,
                        dev.throughline.app.report.Units.percent(share)),
                "Figures below are lower bounds. For agent drops, raise the buffer or lower the sampling rate;"
                        + " for import drops, see the loss table (throughline query CAPTURE \"SELECT * FROM loss\")",
                String.format("largest: %s / %s: %,d", biggest.source(), biggest.kind(), biggest.count()),
                null));
    }
}
