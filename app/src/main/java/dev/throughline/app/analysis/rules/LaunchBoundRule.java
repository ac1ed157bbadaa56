package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.DurationBucket;
import dev.throughline.storage.model.GpuRow;
import dev.throughline.storage.model.NameTotal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * launch_bound: most kernels are shorter than it takes the CPU to launch one (5–20 µs), and the GPU
 * waits between them — the CPU's enqueue rate is the limit (HTA's and Nsight Systems' reading).
 * Short = at most 8.192 µs (the kernel-duration histogram's bucket bound). Fires with ≥ 100 kernels,
 * ≥ 50 % of them short and ≥ 10 % GPU idle; MODERATE from 50 % short, HIGH from 80 %.
 * What-if: launching the short kernels from a CUDA graph removes about one launch call each from the
 * GPU's wait, bounded by the idle time.
 */
public final class LaunchBoundRule implements Rule {
    static final long SHORT_NS = 8_192;
    private static final Pattern LAUNCH = Pattern.compile("(cuda|hip|cu)LaunchKernel.*");

    @Override
    public String id() {
        return "launch_bound";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        long kernels = 0;
        long shortKernels = 0;
        for (DurationBucket b : capture.kernelDurations()) {
            kernels += b.count();
            if (b.upperNs() <= SHORT_NS) {
                shortKernels += b.count();
            }
        }
        GpuRow gpu = capture.gpus().stream().max((a, b) -> Long.compare(a.idleNs(), b.idleNs())).orElse(null);
        if (kernels < 100 || gpu == null || gpu.totalNs() == 0) {
            return Optional.empty();
        }
        double shortShare = shortKernels / (double) kernels;
        double idleShare = gpu.idleNs() / (double) gpu.totalNs();
        if (shortShare < 0.5 || idleShare < 0.10) {
            return Optional.empty();
        }
        long launches = 0;
        long launchNs = 0;
        for (NameTotal n : capture.cudaApiCalls()) {
            if (LAUNCH.matcher(n.name()).matches()) {
                launches += n.count();
                launchNs += n.totalNs();
            }
        }
        long meanLaunch = launches == 0 ? 5_000 : launchNs / launches; // 5 µs: a typical launch when unmeasured
        long saved = Math.min(gpu.idleNs(), shortKernels * meanLaunch);
        return Optional.of(new Finding(id(), Rules.score(shortShare, 0.5, 0.8),
                String.format("Launch-bound: %s of %,d kernels run ≤ %s, shorter than a launch (%s)",
                        Units.percent(shortShare), kernels, Units.duration(SHORT_NS), Units.duration(meanLaunch)),
                "Cut launches: capture the step in a CUDA graph (torch.cuda.graphs, or torch.compile(mode=\"reduce-overhead\")),"
                        + " fuse small ops (torch.compile), or raise the batch size so each kernel does more work",
                String.format("%,d short kernels; GPU %d idle %s of %s; mean launch call %s over %,d launches",
                        shortKernels, gpu.device(), Units.percent(idleShare), Units.duration(gpu.totalNs()),
                        Units.duration(meanLaunch), launches),
                new WhatIf("gpu_window_ns", gpu.totalNs(), gpu.totalNs() - saved)));
    }
}
