package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.StepStats;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;

import java.util.Optional;

/**
 * input_bound: the training loop waits for the DataLoader. Fires when the DataLoader part of the
 * step-time breakdown is ≥ 5 % of the mean step (MODERATE), ≥ 20 % (HIGH) — the bands XProf uses.
 * What-if: with enough loader workers the wait overlaps compute, so the step loses that part.
 */
public final class InputBoundRule implements Rule {
    @Override
    public String id() {
        return "input_bound";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        StepStats s = capture.stepStats();
        if (s.count() == 0 || s.meanNs() == 0) {
            return Optional.empty();
        }
        long wait = s.breakdown().dataloaderNs();
        double share = wait / (double) s.meanNs();
        if (share < 0.05) {
            return Optional.empty();
        }
        int score = Rules.score(share, 0.05, 0.20);
        WhatIf whatIf = new WhatIf("step_mean_ns", s.meanNs(), s.meanNs() - wait);
        return Optional.of(new Finding(id(), score,
                String.format("Input-bound: %s of each step (%s) waits for the DataLoader",
                        Units.percent(share), Units.duration(wait)),
                "Load data in parallel with compute: DataLoader(num_workers=4 or more, pin_memory=True,"
                        + " persistent_workers=True), and move per-sample transforms off the training process",
                String.format("%d steps, mean %s; DataLoader %s/step (enumerate(DataLoader) ops inside the steps)",
                        s.count(), Units.duration(s.meanNs()), Units.duration(wait)),
                whatIf));
    }
}
