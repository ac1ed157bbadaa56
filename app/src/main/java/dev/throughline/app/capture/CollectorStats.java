package dev.throughline.app.capture;

/**
 * What a {@link Collector} has seen so far, for a live status line.
 * @param processes agent connections accepted (one per traced process)
 * @param refused   connections refused (bad token, bad handshake, unsupported version, too many)
 * @param steps     step slices written
 * @param events    slices, counters and samples received from agents
 * @param drops     events known lost: dropped by agents (their LOSS reports) or by the collector
 * @param lastStepNs the duration of the last step slice written (0 before the first), for a live "last step"
 */
public record CollectorStats(long processes, long refused, long steps, long events, long drops, long lastStepNs) {
}
