package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.GpuIdleRow;
import dev.throughline.storage.model.GpuRow;

import java.util.Optional;

/**
 * gpu_idle: a GPU sits idle for part of its window (TraceLens gpu_timeline: the GPU-side
 * ProfilerStep, else first to last GPU event). MODERATE from 10 % idle, HIGH from 30 %.
 * Why it idles comes from HTA's idle time breakdown over its streams (host wait, kernel-to-kernel
 * gaps, other), and the recommendation follows the largest cause.
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
        GpuIdleRow causes = capture.gpuIdleOf(worst.device());
        String evidence = String.format("device %d: busy %s, idle %s in the window %s (TraceLens gpu_timeline)",
                worst.device(), Units.duration(worst.busyNs()), Units.duration(worst.idleNs()),
                Units.duration(worst.totalNs()));
        if (causes != null) {
            evidence += String.format("; gaps between its events (HTA idle breakdown): host wait %s (%d gaps),"
                            + " kernel-to-kernel %s (%d), other %s (%d)",
                    Units.duration(causes.hostWaitNs()), causes.hostWaitGaps(), Units.duration(causes.kernelWaitNs()),
                    causes.kernelWaitGaps(), Units.duration(causes.otherNs()), causes.otherGaps());
        }
        return Optional.of(new Finding(id(), Rules.score(share, 0.10, 0.30),
                String.format("GPU %d idle %s of the time (%s of %s)%s", worst.device(), Units.percent(share),
                        Units.duration(worst.idleNs()), Units.duration(worst.totalNs()), causeClause(causes)),
                recommendation(causes), evidence,
                new WhatIf("gpu_window_ns", worst.totalNs(), worst.busyNs())));
    }

    /** The largest of HTA's three idle causes, or null when none is positive. */
    static String largestCause(GpuIdleRow c) {
        if (c == null) {
            return null;
        }
        long max = Math.max(c.hostWaitNs(), Math.max(c.kernelWaitNs(), c.otherNs()));
        if (max <= 0) {
            return null;
        }
        return max == c.hostWaitNs() ? "host_wait" : max == c.kernelWaitNs() ? "kernel_wait" : "other";
    }

    private static String causeClause(GpuIdleRow c) {
        String cause = largestCause(c);
        if (cause == null) {
            return "";
        }
        long idle = Math.max(1, c.idleNs());
        return switch (cause) {
            case "host_wait" -> String.format(", mostly waiting for the host to launch work (%s of the gaps)",
                    Units.percent(c.hostWaitNs() / (double) idle));
            case "kernel_wait" -> String.format(", mostly short gaps between back-to-back kernels (%s of the gaps)",
                    Units.percent(c.kernelWaitNs() / (double) idle));
            default -> String.format(", mostly waiting on something other than the host's launches (%s of the gaps)",
                    Units.percent(c.otherNs() / (double) idle));
        };
    }

    private static String recommendation(GpuIdleRow c) {
        String cause = largestCause(c);
        if ("host_wait".equals(cause)) {
            return "The CPU does not enqueue work fast enough: find the slow host work between launches (CPU ops,"
                    + " DataLoader waits, Python overhead), move it off the step's critical path, and cut per-launch"
                    + " cost with CUDA graphs or torch.compile, or give each launch more work (larger batch)";
        }
        if ("kernel_wait".equals(cause)) {
            return "Launch overhead between back-to-back kernels: fuse kernels (torch.compile), capture the step in"
                    + " CUDA graphs, or give each kernel more work (larger batch)";
        }
        if ("other".equals(cause)) {
            return "The streams wait on something else than the host's launches: remove host-device syncs (.item(),"
                    + " .cpu(), torch.cuda.synchronize) from the step, and check cross-stream events and copies"
                    + " (non_blocking copies from pinned memory)";
        }
        return "Keep the GPU fed: overlap host work with GPU work (non_blocking copies, pinned memory),"
                + " remove host-device syncs (.item(), .cpu()) from the step, or batch more work per launch"
                + " (larger batch, CUDA graphs, torch.compile)";
    }

    private static double share(GpuRow g) {
        return g.idleNs() / (double) g.totalNs();
    }
}
