package dev.throughline.app.analysis;

/** How much a finding matters, derived from its 0–100 score (as JDK Mission Control's rules do). */
public enum Severity {
    LOW, MODERATE, HIGH;

    /** HIGH from 67, MODERATE from 34, LOW below. */
    public static Severity fromScore(int score) {
        if (score >= 67) {
            return HIGH;
        }
        return score >= 34 ? MODERATE : LOW;
    }
}
