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
 * host_overhead: in a job that uses the GPU, the step spends much of its time in host work the GPU
 * does not overlap (CPU Exec + Runtime + Other of the step breakdown). MODERATE from 25 % of the
 * step, HIGH from 50 %. What-if: the step shrinks to its GPU part plus DataLoader (host work fully
 * overlapped) — an upper bound of the gain.
 */
public final class HostOverheadRule implements Rule {
    @Override
    public String id() {
        return "host_overhead";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        StepStats s = capture.stepStats();
        StepStats.Breakdown b = s.breakdown();
        long gpu = b.kernelNs() + b.memcpyNs() + b.memsetNs();
        if (s.count() == 0 || s.meanNs() == 0 || gpu == 0) {
            return Optional.empty();
        }
        long host = b.cpuExecNs() + b.runtimeNs() + b.otherNs();
        double share = host / (double) s.meanNs();
        if (share < 0.25) {
            return Optional.empty();
        }
        return Optional.of(new Finding(id(), Rules.score(share, 0.25, 0.50),
                String.format("Host-bound steps: %s of each step (%s) is CPU work the GPU waits on",
                        Units.percent(share), Units.duration(host)),
                "Cut per-step host overhead: capture the step in CUDA graphs or torch.compile, fuse small ops,"
                        + " raise the batch size so each launch does more work",
                String.format("mean step %s: CPU Exec %s, Runtime %s, Other %s; GPU %s",
                        Units.duration(s.meanNs()), Units.duration(b.cpuExecNs()), Units.duration(b.runtimeNs()),
                        Units.duration(b.otherNs()), Units.duration(gpu)),
                new WhatIf("step_mean_ns", s.meanNs(), gpu + b.dataloaderNs())));
    }
}
