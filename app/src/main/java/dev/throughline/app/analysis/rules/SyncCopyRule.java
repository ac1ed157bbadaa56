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
 * sync_copy: synchronous host↔device copies (cudaMemcpy, cudaMemcpy2D, cuMemcpyHtoD/DtoH …, not the
 * *Async forms) block the host until the copy is done, so it cannot queue work meanwhile. Measured as
 * the host time inside those calls against total step time (or the span without steps): MODERATE
 * from 5 %, HIGH from 20 %. What-if: async copies from pinned memory overlap, so that time leaves
 * the step (an upper bound).
 */
public final class SyncCopyRule implements Rule {
    static final Pattern SYNC_COPY = Pattern.compile("(cuda|hip)Memcpy(2D|3D|ToSymbol|FromSymbol|Peer)?"
            + "|cuMemcpy(HtoD|DtoH|DtoD|2D|3D|Peer)?(_v2)?");

    @Override
    public String id() {
        return "sync_copy";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        long calls = 0;
        long blocked = 0;
        for (NameTotal n : capture.cudaApiCalls()) {
            if (SYNC_COPY.matcher(n.name()).matches()) {
                calls += n.count();
                blocked += n.totalNs();
            }
        }
        long reference = capture.totalStepNs() > 0 ? capture.totalStepNs() : capture.spanNs();
        if (calls == 0 || reference == 0) {
            return Optional.empty();
        }
        double share = blocked / (double) reference;
        if (share < 0.05) {
            return Optional.empty();
        }
        String over = capture.totalStepNs() > 0 ? "of step time" : "of the capture";
        return Optional.of(new Finding(id(), Rules.score(share, 0.05, 0.20),
                String.format("Synchronous copies: %,d blocking memcpy calls hold the host %s (%s %s)", calls,
                        Units.duration(blocked), Units.percent(share), over),
                "Copy asynchronously: pin the host buffers (DataLoader(pin_memory=True), tensor.pin_memory()) and use"
                        + " .to(device, non_blocking=True) / cudaMemcpyAsync on a stream, so the host keeps queueing work",
                String.format("cuda_api calls named cudaMemcpy/cuMemcpy* (not *Async): %,d, %s", calls,
                        Units.duration(blocked)),
                new WhatIf(capture.totalStepNs() > 0 ? "step_total_ns" : "span_ns", reference, reference - blocked)));
    }
}
