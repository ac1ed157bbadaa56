package dev.throughline.app.ui;

import dev.throughline.storage.Category;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened in a time range of the timeline: per category and per slice name, the time of the
 * slices clipped to the range (a slice that starts before the range counts only its part inside).
 * Nested slices each count in full, as in the per-category totals of the report. Read per track
 * through the (track_id, start_ns) index, from {@code from − longest slice} on, on the db thread.
 */
final class RangeQuery {
    /** Time of one category inside the range. */
    record CategoryTotal(Category category, long totalNs, long count) {
    }

    /** Time of one slice name (in one category) inside the range. */
    record NameTotal(String name, Category category, long totalNs, long count) {
    }

    /** The summary of [fromNs, toNs) (relative ns): categories and names by time, most first. */
    record RangeSummary(long fromNs, long toNs, List<CategoryTotal> categories, List<NameTotal> names) {
        long widthNs() {
            return toNs - fromNs;
        }
    }

    private RangeQuery() {
    }

    static RangeSummary summarize(CaptureSession s, List<TimelineQuery.Track> tracks, long fromNs, long toNs, int topNames)
            throws SQLException {
        List<String> strings = s.strings();
        Map<Category, long[]> cats = new EnumMap<>(Category.class);
        Map<Long, long[]> names = new HashMap<>(); // (category << 32 | name_id) → total, count
        try (PreparedStatement ps = s.reader().connection().prepareStatement(
                "SELECT start_ns, dur_ns, name_id, category FROM slice WHERE track_id = ? AND start_ns >= ? AND start_ns < ?")) {
            for (TimelineQuery.Track t : tracks) {
                ps.setInt(1, t.id());
                ps.setLong(2, fromNs - t.maxDurNs() - 1);
                ps.setLong(3, toNs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long start = rs.getLong(1);
                        long end = start + rs.getLong(2);
                        long inside = Math.min(end, toNs) - Math.max(start, fromNs);
                        if (inside <= 0) {
                            continue; // ends before the range (or is an instant-like zero-length slice)
                        }
                        int cat = rs.getInt(4);
                        long[] c = cats.computeIfAbsent(Category.byId(cat), k -> new long[2]);
                        c[0] += inside;
                        c[1]++;
                        long[] n = names.computeIfAbsent(((long) cat << 32) | rs.getInt(3), k -> new long[2]);
                        n[0] += inside;
                        n[1]++;
                    }
                }
            }
        }
        List<CategoryTotal> catList = new ArrayList<>();
        cats.forEach((c, v) -> catList.add(new CategoryTotal(c, v[0], v[1])));
        catList.sort(Comparator.comparingLong(CategoryTotal::totalNs).reversed());
        List<NameTotal> nameList = new ArrayList<>();
        names.forEach((k, v) -> {
            int nameId = (int) (k & 0xFFFFFFFFL);
            String name = nameId >= 0 && nameId < strings.size() && strings.get(nameId) != null ? strings.get(nameId) : "?";
            nameList.add(new NameTotal(name, Category.byId((int) (k >>> 32)), v[0], v[1]));
        });
        nameList.sort(Comparator.comparingLong(NameTotal::totalNs).reversed().thenComparing(NameTotal::name));
        return new RangeSummary(fromNs, toNs, catList, nameList.size() > topNames ? List.copyOf(nameList.subList(0, topNames)) : nameList);
    }
}
