package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.StepStats;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.Category;

import java.util.Optional;

/**
 * input_bound: the training loop waits for the DataLoader. Fires when the DataLoader part of the
 * step-time breakdown (recorded {@code data_wait}, or the plugin's {@code enumerate(DataLoader)} ops
 * of an imported trace) is ≥ 5 % of the mean step (MODERATE), ≥ 20 % (HIGH) — the bands XProf uses.
 * What-if, for the worker count the recommendation names (twice today's, at least 4): the step without
 * its wait, but never faster than the loader can deliver: W workers that each need F per batch deliver
 * one batch every F / W. Without workers the loop fetches itself (F is then the wait per step).
 */
public final class InputBoundRule implements Rule {
    static final int SUGGESTED_WORKERS = 4;

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
        int workers = capture.dataLoaderWorkers();
        long fetches = capture.eventCounts().getOrDefault(Category.DATA_FETCH, 0L);
        long fetchTotal = capture.categoryTotalsNs().getOrDefault(Category.DATA_FETCH, 0L);
        long fetchPerBatch = workers > 0 && fetches > 0 ? fetchTotal / fetches : wait;
        // the what-if is for the worker count the recommendation names
        int suggested = workers > 0 ? Math.max(workers * 2, SUGGESTED_WORKERS) : SUGGESTED_WORKERS;
        long loaderBound = fetchPerBatch / Math.max(1, workers); // what the current workers deliver
        long predicted = Math.min(s.meanNs(), Math.max(s.meanNs() - wait, fetchPerBatch / suggested));
        String loader = workers > 0
                ? String.format("%d workers, fetch %s/batch/worker (one batch every %s)", workers,
                        Units.duration(fetchPerBatch), Units.duration(loaderBound))
                : String.format("num_workers=0: the loop fetches each batch itself (%s/batch)", Units.duration(wait));
        String change = workers > 0
                ? "Add DataLoader workers (num_workers=" + suggested + "), raise prefetch_factor, set persistent_workers=True, or make the per-sample transform cheaper"
                : "Load data in parallel with compute: DataLoader(num_workers=" + suggested
                        + ", pin_memory=True, persistent_workers=True), and make the per-sample transform cheaper";
        return Optional.of(new Finding(id(), Rules.score(share, 0.05, 0.20),
                String.format("Input-bound: %s of each step (%s) waits for the DataLoader",
                        Units.percent(share), Units.duration(wait)),
                change,
                String.format("%d steps, mean %s; DataLoader wait %s/step; %s", s.count(),
                        Units.duration(s.meanNs()), Units.duration(wait), loader),
                new WhatIf("step_mean_ns", s.meanNs(), predicted)));
    }
}
