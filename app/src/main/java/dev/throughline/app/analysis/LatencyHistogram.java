package dev.throughline.app.analysis;

import dev.throughline.storage.CaptureReader;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One request name's latency histogram, from {@code summary_latency_bucket}: log2 buckets, where the bucket with
 * upper bound 2^k ns holds the latencies in (2^(k-1), 2^k]. Written at capture close, so reading it costs nothing.
 */
public record LatencyHistogram(String name, List<Bucket> buckets) {
    public record Bucket(long upperNs, long count) {
        /** The bucket's lower bound (exclusive). */
        public long lowerNs() {
            return upperNs / 2;
        }
    }

    public static LatencyHistogram load(CaptureReader reader, String name) throws SQLException {
        List<Bucket> buckets = new ArrayList<>();
        try (PreparedStatement ps = reader.connection().prepareStatement("SELECT b.upper_ns, b.count"
                + " FROM summary_latency_bucket b JOIN string s ON s.id = b.name_id WHERE s.value = ? ORDER BY b.upper_ns")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    buckets.add(new Bucket(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return new LatencyHistogram(name, List.copyOf(buckets));
    }

    public long total() {
        return buckets.stream().mapToLong(Bucket::count).sum();
    }
}
