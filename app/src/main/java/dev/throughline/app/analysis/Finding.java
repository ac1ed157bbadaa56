package dev.throughline.app.analysis;

/**
 * What one rule concluded: a claim with its number, the evidence behind it, what to change, and
 * the expected gain. {@code severity} follows from {@code score}.
 */
public record Finding(String rule, int score, String message, String recommendation, String evidence,
                      WhatIf whatIf) {
    public Finding {
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score must be 0..100, was " + score);
        }
    }

    public Severity severity() {
        return Severity.fromScore(score);
    }
}
