package dev.throughline.app.analysis.rules;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rule;
import dev.throughline.app.analysis.Rules;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.NameTotal;

import java.util.Optional;

/**
 * pageable_copy: host↔device copies from pageable (not pinned) memory. The driver stages them through a
 * pinned buffer, so they run at a fraction of the bandwidth and cannot overlap compute. Memcpy names
 * say the memory kind (Kineto and Nsight Systems: "Memcpy HtoD (Pageable -> Device)").
 * Measured against total step time (or the GPU window without steps): MODERATE from 2 %, HIGH from 10 %.
 * What-if: pinned copies take about half the time (and can overlap with non_blocking=True).
 */
public final class PageableCopyRule implements Rule {
    @Override
    public String id() {
        return "pageable_copy";
    }

    @Override
    public Optional<Finding> evaluate(CaptureOverview capture) {
        long count = 0;
        long total = 0;
        for (NameTotal m : capture.memcpys()) {
            if (m.name().contains("Pageable")) {
                count += m.count();
                total += m.totalNs();
            }
        }
        long reference = capture.totalStepNs() > 0 ? capture.totalStepNs()
                : capture.gpus().stream().mapToLong(g -> g.totalNs()).max().orElse(0);
        if (count == 0 || reference == 0) {
            return Optional.empty();
        }
        double share = total / (double) reference;
        if (share < 0.02) {
            return Optional.empty();
        }
        String over = capture.totalStepNs() > 0 ? "of step time" : "of the GPU window";
        return Optional.of(new Finding(id(), Rules.score(share, 0.02, 0.10),
                String.format("Pageable copies: %,d host↔device copies from unpinned memory take %s (%s %s)",
                        count, Units.duration(total), Units.percent(share), over),
                "Pin host memory: DataLoader(pin_memory=True) (or tensor.pin_memory()), then"
                        + " .to(device, non_blocking=True) so the copy overlaps compute",
                String.format("memcpy slices named \"…Pageable…\": %,d, %s in all", count, Units.duration(total)),
                new WhatIf(capture.totalStepNs() > 0 ? "step_total_ns" : "gpu_window_ns", reference,
                        reference - total / 2)));
    }
}
