package dev.throughline.app.analysis;

/** A what-if estimate: the metric now, and what it would be with the recommendation applied. */
public record WhatIf(String metric, long currentNs, long predictedNs) {
    /** The predicted gain as a fraction of the current value (0.33 = 33 % faster). */
    public double gain() {
        return currentNs == 0 ? 0 : (currentNs - predictedNs) / (double) currentNs;
    }
}
