package dev.throughline.app.analysis;

import java.util.Optional;

/** One bottleneck rule: reads the overview, and either finds something (with a 0–100 score) or not. */
public interface Rule {
    /** Stable id, used in report JSON and docs (e.g. "input_bound"). */
    String id();

    Optional<Finding> evaluate(CaptureOverview capture);
}
