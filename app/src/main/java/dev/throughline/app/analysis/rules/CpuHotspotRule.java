package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.CpuSamples;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.RequestTail;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.FrameSamples;

import java.util.List;
import java.util.Optional;

/**
 * cpu_hotspot: one frame holds a large share of the CPU samples (self time, the leaf frame) on the request
 * path (threads that run compute/respond phases), or on every thread when those have no samples. Needs at
 * least {@value #MIN_SAMPLES} samples; MODERATE from 20 % of them in one frame, HIGH from 40 %. What-if, for
 * the most frequent request name: the mean request time if that frame's cost halved. On the request path the
 * frame is taken to hold its sample share of the compute and respond phases (time on the samples' threads),
 * so the mean falls by share × (compute + respond per request) / 2; without phases, by share × mean / 2 (an
 * upper bound: it treats the whole request as CPU time). No what-if without requests.
 */
public final class CpuHotspotRule implements Rule {
    static final long MIN_SAMPLES = 100;

    @Override
    public String id() {
        return "cpu_hotspot";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        CpuSamples samples = capture.cpuSamples();
        if (samples.total() < MIN_SAMPLES || samples.frames().isEmpty()) {
            return Optional.empty();
        }
        FrameSamples hot = samples.frames().get(0);
        double share = samples.share(hot);
        if (share < 0.20) {
            return Optional.empty();
        }
        String where = samples.requestPath() ? "on the request path (threads running compute/respond phases)"
                : "over all threads";
        WhatIf whatIf = null;
        List<RequestTail> requests = capture.requestTails();
        if (!requests.isEmpty()) {
            RequestTail r = requests.get(0); // the most frequent request name
            long onCpu = samples.requestPath()
                    ? r.phaseMeanNs().getOrDefault(RequestTail.COMPUTE, 0L) + r.phaseMeanNs().getOrDefault(RequestTail.RESPOND, 0L)
                    : r.meanNs();
            whatIf = new WhatIf("request_mean_ns", r.meanNs(), r.meanNs() - Math.round(share * onCpu / 2));
        }
        StringBuilder next = new StringBuilder();
        for (int i = 1; i < Math.min(4, samples.frames().size()); i++) {
            FrameSamples f = samples.frames().get(i);
            next.append(i == 1 ? "; next: " : ", ").append(f.frame()).append(' ').append(Units.percent(samples.share(f)));
        }
        return Optional.of(new Finding(id(), Rules.score(share, 0.20, 0.40),
                String.format("CPU hotspot: %s holds %s of the CPU samples %s", hot.frame(), Units.percent(share), where),
                "Make " + hot.frame() + " cheaper: it is the innermost frame of those samples, so its own code (not its"
                        + " callees) is where the time goes; batch its work, hoist allocation and repeated work out of its"
                        + " loops, or use a faster library routine",
                String.format("%s: %,d of %,d samples (self time, waiting frames excluded) %s%s", hot.frame(),
                        hot.samples(), samples.total(), where, next),
                whatIf));
    }
}
