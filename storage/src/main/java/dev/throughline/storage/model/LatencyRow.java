package dev.throughline.storage.model;

/** Latency of the request slices of one name: exact nearest-rank percentiles (summary_latency). */
public record LatencyRow(String name, long count, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs) {
}
