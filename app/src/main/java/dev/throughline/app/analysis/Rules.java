package dev.throughline.app.analysis;

import dev.throughline.app.analysis.rules.CpuHotspotRule;
import dev.throughline.app.analysis.rules.EventsLostRule;
import dev.throughline.app.analysis.rules.GcTailRule;
import dev.throughline.app.analysis.rules.GpuIdleRule;
import dev.throughline.app.analysis.rules.HostOverheadRule;
import dev.throughline.app.analysis.rules.InputBoundRule;
import dev.throughline.app.analysis.rules.LaunchBoundRule;
import dev.throughline.app.analysis.rules.PageableCopyRule;
import dev.throughline.app.analysis.rules.QueueingTailRule;
import dev.throughline.app.analysis.rules.SyncCopyRule;
import dev.throughline.app.analysis.rules.SyncInStepRule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The registry: every rule, in one list. Findings come out ordered by score, highest first. */
public final class Rules {
    public static final List<Rule> ALL = List.of(
            new InputBoundRule(),
            new GpuIdleRule(),
            new HostOverheadRule(),
            new LaunchBoundRule(),
            new PageableCopyRule(),
            new SyncCopyRule(),
            new SyncInStepRule(),
            new QueueingTailRule(),
            new GcTailRule(),
            new CpuHotspotRule(),
            new EventsLostRule());

    private Rules() {
    }

    public static List<Finding> evaluate(CaptureOverview capture) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : ALL) {
            rule.evaluate(capture).ifPresent(out::add);
        }
        out.sort(Comparator.comparingInt(Finding::score).reversed().thenComparing(Finding::rule));
        return out;
    }

    /** Linear score: {@code at34} maps to 34 (MODERATE starts), {@code at67} to 67 (HIGH starts), capped 0..100. */
    public static int score(double value, double at34, double at67) {
        double s = 34 + (value - at34) * (67 - 34) / (at67 - at34);
        return (int) Math.max(0, Math.min(100, Math.round(s)));
    }
}
