package dev.throughline.app.ui;

import dev.throughline.storage.Category;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Timeline search: the slices whose name contains a text (case-insensitive), in time order. The names
 * are matched once in the string table, so the slice scan compares integers.
 */
final class SliceSearch {
    static final int LIMIT = 10_000;

    /** One matching slice (relative ns). */
    record Match(long id, int trackId, long startNs, long endNs, Category category, String name, long argsId) {
    }

    /** The first {@link #LIMIT} matches in time order, and how many there are in all. */
    record Result(String text, List<Match> matches, long total) {
        boolean truncated() {
            return total > matches.size();
        }
    }

    private SliceSearch() {
    }

    static Result find(CaptureSession s, String text) throws SQLException {
        String needle = text.strip().toLowerCase(Locale.ROOT);
        List<String> names = s.strings();
        List<Match> out = new ArrayList<>();
        String where = " FROM slice WHERE name_id IN (SELECT id FROM string WHERE instr(lower(value), ?) > 0)";
        try (PreparedStatement ps = s.reader().connection().prepareStatement(
                "SELECT id, track_id, start_ns, dur_ns, name_id, category, args_id" + where + " ORDER BY start_ns LIMIT ?")) {
            ps.setString(1, needle);
            ps.setInt(2, LIMIT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(5);
                    long start = rs.getLong(3);
                    out.add(new Match(rs.getLong(1), rs.getInt(2), start, start + rs.getLong(4), Category.byId(rs.getInt(6)),
                            n >= 0 && n < names.size() && names.get(n) != null ? names.get(n) : "?", rs.getLong(7)));
                }
            }
        }
        long total = out.size();
        if (out.size() == LIMIT) {
            try (PreparedStatement ps = s.reader().connection().prepareStatement("SELECT COUNT(*)" + where)) {
                ps.setString(1, needle);
                try (ResultSet rs = ps.executeQuery()) {
                    total = rs.next() ? rs.getLong(1) : total;
                }
            }
        }
        return new Result(text, out, total);
    }
}
