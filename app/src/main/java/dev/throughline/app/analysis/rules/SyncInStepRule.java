package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.NameTotal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * sync_in_step: the training loop blocks the host on the GPU (cudaDeviceSynchronize,
 * cudaStreamSynchronize, cudaEventSynchronize — what .item(), .cpu() and printing a CUDA tensor do),
 * so the CPU cannot queue the next work ahead. Needs steps; measured as the blocked host time against
 * total step time: MODERATE from 5 %, HIGH from 20 %. What-if: the steps lose the blocked time (an
 * upper bound: some of it is the GPU finishing work the step needs anyway).
 */
public final class SyncInStepRule implements Rule {
    private static final Pattern SYNC = Pattern.compile("(cuda|hip|cu)(Device|Stream|Event|Ctx)Synchronize.*");

    @Override
    public String id() {
        return "sync_in_step";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        long stepTotal = capture.totalStepNs();
        if (stepTotal == 0) {
            return Optional.empty();
        }
        long calls = 0;
        long blocked = 0;
        for (NameTotal n : capture.cudaApiCalls()) {
            if (SYNC.matcher(n.name()).matches()) {
                calls += n.count();
                blocked += n.totalNs();
            }
        }
        double share = blocked / (double) stepTotal;
        if (calls == 0 || share < 0.05) {
            return Optional.empty();
        }
        int steps = capture.steps().size();
        return Optional.of(new Finding(id(), Rules.score(share, 0.05, 0.20),
                String.format("Host-device syncs: %,d synchronize calls block the host %s (%s of step time)",
                        calls, Units.duration(blocked), Units.percent(share)),
                "Keep the host ahead of the GPU: remove .item(), .cpu(), print(tensor) and torch.cuda.synchronize()"
                        + " from the step (log metrics every N steps, accumulate on the GPU)",
                String.format("%.1f sync calls per step over %d steps; blocked %s in all",
                        calls / (double) steps, steps, Units.duration(blocked)),
                new WhatIf("step_total_ns", stepTotal, stepTotal - blocked)));
    }
}
