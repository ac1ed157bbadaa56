package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import dev.throughline.storage.TrackKind;
import dev.throughline.storage.model.TrackInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timeline's counter rows (the {@code counter} table: CPU %, RSS, GPU utilization, …) and instant
 * events, on the db thread. A counter window is read through the (track_id, ts_ns) index, with the last
 * value before the window (a counter holds its value until the next sample), and thinned to the first,
 * min and max value per pixel so that a dense counter draws in bounded time with its peaks kept.
 */
final class CounterQuery {
    /** One counter row: its samples, and the value range for the row's scale. */
    record CounterTrack(int id, String name, String detail, long samples, double min, double max) {
        /** A value in the unit the counter's name suggests: bytes, percent, or a plain number. */
        String format(double v) {
            String n = name.toLowerCase(Locale.ROOT);
            // percent first: NVML's "gpu0 memory utilization %" is a share of time, not an amount of memory
            if (n.contains("percent") || n.contains("util") || n.endsWith("%")) {
                return String.format(Locale.ROOT, "%.1f %%", v);
            }
            if (n.contains("bytes") || n.contains("rss") || n.contains("mem")) {
                return Units.bytes(Math.round(v));
            }
            return Math.abs(v) >= 1e4 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v)
                    : String.format(Locale.ROOT, "%.3g", v);
        }
    }

    /** A counter's points in a window (relative ns); a point holds until the next one. */
    record Series(long[] ts, double[] value) {
        int size() {
            return ts.length;
        }

        /** The value in force at {@code ns}, or NaN before the first point. */
        double valueAt(double ns) {
            int i = Arrays.binarySearch(ts, (long) Math.floor(ns));
            int at = i >= 0 ? i : -i - 2;
            return at < 0 ? Double.NaN : value[at];
        }
    }

    /** A point event on a track. */
    record Instant(int trackId, long tsNs, String name) {
    }

    private CounterQuery() {
    }

    static List<CounterTrack> counterTracks(CaptureSession s) throws SQLException {
        Map<Integer, TrackInfo> infos = new HashMap<>();
        for (TrackInfo t : s.reader().tracks()) {
            infos.put(t.id(), t);
        }
        List<CounterTrack> out = new ArrayList<>();
        try (Statement st = s.reader().connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT track_id, COUNT(*), MIN(value), MAX(value) FROM counter"
                     + " GROUP BY track_id ORDER BY track_id")) {
            while (rs.next()) {
                TrackInfo t = infos.get(rs.getInt(1));
                String name = t != null && t.name() != null && !t.name().isBlank() ? t.name() : "counter " + rs.getInt(1);
                String detail = t == null ? "" : (t.processName() == null ? "" : t.processName())
                        + (t.pid() == null ? "" : " " + t.pid())
                        + (t.device() == null ? "" : " · GPU " + t.device());
                if (t != null && !TrackKind.COUNTER.label.equals(t.kind())) {
                    detail = (detail + " · " + t.kind()).strip();
                }
                out.add(new CounterTrack(rs.getInt(1), name, detail.strip(), rs.getLong(2), rs.getDouble(3), rs.getDouble(4)));
            }
        }
        return out;
    }

    static Series window(CaptureSession s, CounterTrack t, long fromNs, long toNs, double nsPerPixel) throws SQLException {
        LongDoubleList pts = new LongDoubleList();
        try (PreparedStatement ps = s.reader().connection().prepareStatement(
                "SELECT ts_ns, value FROM counter WHERE track_id = ?1 AND ts_ns >= COALESCE("
                        + "(SELECT MAX(ts_ns) FROM counter WHERE track_id = ?1 AND ts_ns <= ?2), ?2)"
                        + " AND ts_ns <= COALESCE((SELECT MIN(ts_ns) FROM counter WHERE track_id = ?1 AND ts_ns >= ?3), ?3)"
                        + " ORDER BY ts_ns")) {
            ps.setInt(1, t.id());
            ps.setLong(2, fromNs);
            ps.setLong(3, toNs);
            try (ResultSet rs = ps.executeQuery()) {
                long bucket = Long.MIN_VALUE;
                double min = 0;
                double max = 0;
                long minTs = 0;
                long maxTs = 0;
                while (rs.next()) {
                    long ts = rs.getLong(1);
                    double v = rs.getDouble(2);
                    long b = (long) Math.floor((ts - fromNs) / Math.max(1, nsPerPixel));
                    if (b != bucket) {
                        flush(pts, minTs, min, maxTs, max);
                        bucket = b;
                        pts.add(ts, v); // the first point of each pixel, then its extremes
                        min = max = v;
                        minTs = maxTs = ts;
                    } else {
                        if (v < min) {
                            min = v;
                            minTs = ts;
                        }
                        if (v > max) {
                            max = v;
                            maxTs = ts;
                        }
                    }
                }
                flush(pts, minTs, min, maxTs, max);
            }
        }
        return pts.series();
    }

    private static void flush(LongDoubleList pts, long minTs, double min, long maxTs, double max) {
        if (pts.size == 0) {
            return;
        }
        long lastTs = pts.ts[pts.size - 1];
        if (minTs > lastTs && maxTs > lastTs) {
            if (minTs < maxTs) {
                pts.add(minTs, min);
                pts.add(maxTs, max);
            } else if (maxTs < minTs) {
                pts.add(maxTs, max);
                pts.add(minTs, min);
            } else {
                pts.add(minTs, min);
            }
        } else if (minTs > lastTs) {
            pts.add(minTs, min);
        } else if (maxTs > lastTs) {
            pts.add(maxTs, max);
        }
    }

    /**
     * Instants in [fromNs, toNs) (relative ns), at most {@code limit} read, and at most one per track per pixel
     * kept (the markers would be drawn on top of each other). Through the instant_ts index where the capture has it.
     */
    static List<Instant> instants(CaptureSession s, long fromNs, long toNs, int limit, double nsPerPixel)
            throws SQLException {
        List<String> names = s.strings();
        List<Instant> out = new ArrayList<>();
        java.util.Map<Integer, Long> lastPixel = new java.util.HashMap<>();
        try (PreparedStatement ps = s.reader().connection().prepareStatement(
                "SELECT track_id, ts_ns, name_id FROM instant WHERE ts_ns >= ? AND ts_ns < ? ORDER BY ts_ns LIMIT ?")) {
            ps.setLong(1, fromNs);
            ps.setLong(2, toNs);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int track = rs.getInt(1);
                    long ts = rs.getLong(2);
                    long pixel = (long) Math.floor(ts / Math.max(1, nsPerPixel));
                    Long last = lastPixel.put(track, pixel);
                    if (last != null && last == pixel) {
                        continue;
                    }
                    int n = rs.getInt(3);
                    out.add(new Instant(track, ts, n >= 0 && n < names.size() && names.get(n) != null
                            ? names.get(n) : "?"));
                }
            }
        }
        return out;
    }

    private static final class LongDoubleList {
        long[] ts = new long[256];
        double[] value = new double[256];
        int size;

        void add(long t, double v) {
            if (size == ts.length) {
                ts = Arrays.copyOf(ts, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            ts[size] = t;
            value[size] = v;
            size++;
        }

        Series series() {
            return new Series(Arrays.copyOf(ts, size), Arrays.copyOf(value, size));
        }
    }
}
