package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.GpuRow;

import java.util.Optional;

/**
 * gpu_idle: a GPU sits idle for part of its window (TraceLens gpu_timeline: the GPU-side
 * ProfilerStep, else first to last GPU event). MODERATE from 10 % idle, HIGH from 30 %.
 * What-if: the window shrinks by the idle time if the host kept the GPU fed (an upper bound).
 */
public final class GpuIdleRule implements Rule {
    @Override
    public String id() {
        return "gpu_idle";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        GpuRow worst = null;
        for (GpuRow g : capture.gpus()) {
            if (g.totalNs() > 0 && (worst == null || share(g) > share(worst))) {
                worst = g;
            }
        }
        if (worst == null || share(worst) < 0.10) {
            return Optional.empty();
        }
        double share = share(worst);
        return Optional.of(new Finding(id(), Rules.score(share, 0.10, 0.30),
                String.format("GPU %d idle %s of the time (%s of %s)", worst.device(), Units.percent(share),
                        Units.duration(worst.idleNs()), Units.duration(worst.totalNs())),
                "Keep the GPU fed: overlap host work with GPU work (non_blocking copies, pinned memory),"
                        + " remove host-device syncs (.item(), .cpu()) from the step, or batch more work per launch"
                        + " (larger batch, CUDA graphs, torch.compile)",
                String.format("device %d: busy %s, idle %s in the window %s (TraceLens gpu_timeline)",
                        worst.device(), Units.duration(worst.busyNs()), Units.duration(worst.idleNs()),
                        Units.duration(worst.totalNs())),
                new WhatIf("gpu_window_ns", worst.totalNs(), worst.busyNs())));
    }

    private static double share(GpuRow g) {
        return g.idleNs() / (double) g.totalNs();
    }
}
