package dev.throughline.app.ui;

import dev.throughline.storage.Category;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The slices linked to one slice by its correlation id: a CUDA launch call (cuda_api) and the kernel, copy or memset
 * it started, either way (Kineto's and CUPTI's "correlation"). Read through the partial index on
 * {@code slice(correlation_id)}, so it costs the same on any capture size.
 */
final class LinkedSlices {
    static final int LIMIT = 8;

    private LinkedSlices() {
    }

    /** The other slices sharing {@code sliceId}'s correlation id, GPU work first; empty when it has none. */
    static List<SliceSearch.Match> of(CaptureSession s, long sliceId) throws SQLException {
        List<String> names = s.strings();
        List<SliceSearch.Match> out = new ArrayList<>();
        try (PreparedStatement ps = s.reader().connection().prepareStatement(
                "SELECT o.id, o.track_id, o.start_ns, o.dur_ns, o.name_id, o.category, o.args_id FROM slice me"
                        + " JOIN slice o ON o.correlation_id = me.correlation_id AND o.correlation_id IS NOT NULL"
                        + " WHERE me.id = ? AND me.correlation_id IS NOT NULL AND me.correlation_id > 0 AND o.id <> me.id"
                        + " ORDER BY o.category DESC, o.start_ns LIMIT ?")) {
            ps.setLong(1, sliceId);
            ps.setInt(2, LIMIT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(5);
                    long start = rs.getLong(3);
                    out.add(new SliceSearch.Match(rs.getLong(1), rs.getInt(2), start, start + rs.getLong(4),
                            Category.byId(rs.getInt(6)), n >= 0 && n < names.size() && names.get(n) != null ? names.get(n) : "?",
                            rs.getLong(7)));
                }
            }
        }
        return out;
    }
}
