package dev.throughline.app.ui;

import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import dev.throughline.storage.model.TrackInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline's reads, on the capture's db thread. Times here are RELATIVE (as stored, see
 * docs/capture-format.md); the view adds nothing, it only shows times relative to the span start.
 * A window read uses the (track_id, start_ns) index and merges the slices that are narrower than a
 * pixel into one box per run, so what is drawn is bounded by the width in pixels, not by the data.
 */
final class TimelineQuery {
    /** Deeper nesting is drawn on the last row. */
    static final int MAX_DEPTH = 24;

    /** A timeline row group: one track with its nesting depth and its longest slice (to find ancestors). */
    record Track(int id, String label, String detail, boolean gpu, int depth, long slices, long maxDurNs) {
    }

    /** One drawn box: a slice, or {@code merged} slices narrower than a pixel (then id/argsId belong to the longest). */
    record Box(long startNs, long endNs, int depth, Category category, String name, long id, long argsId, int merged) {
    }

    private TimelineQuery() {
    }

    /**
     * The tracks that hold slices, GPU streams first, then threads by process; one ordered pass over
     * (track, start) computes each track's nesting depth and longest slice.
     */
    static List<Track> tracks(CaptureSession s) throws SQLException {
        List<TrackInfo> infos = s.reader().tracks();
        Connection c = s.reader().connection();
        Map<Integer, long[]> stats = new HashMap<>(); // depth, count, maxDur
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT track_id, start_ns, dur_ns FROM slice ORDER BY track_id, start_ns")) {
            int current = Integer.MIN_VALUE;
            long[] ends = new long[MAX_DEPTH + 1];
            int top = 0;
            long[] acc = null;
            while (rs.next()) {
                int track = rs.getInt(1);
                long start = rs.getLong(2);
                long dur = rs.getLong(3);
                if (track != current) {
                    current = track;
                    top = 0;
                    acc = new long[3];
                    stats.put(track, acc);
                }
                while (top > 0 && ends[top - 1] <= start) {
                    top--;
                }
                int depth = Math.min(top, MAX_DEPTH);
                acc[0] = Math.max(acc[0], depth);
                acc[1]++;
                acc[2] = Math.max(acc[2], dur);
                if (top <= MAX_DEPTH) {
                    ends[Math.min(top, MAX_DEPTH)] = start + dur;
                    top = Math.min(top + 1, MAX_DEPTH + 1);
                }
            }
        }
        List<Track> out = new ArrayList<>();
        for (TrackInfo t : infos) {
            long[] a = stats.get(t.id());
            if (a == null) {
                continue;
            }
            boolean gpu = t.kind().equals(TrackKind.GPU_STREAM.label) || t.kind().equals(TrackKind.GPU_ANNOTATION.label);
            String label;
            String detail;
            if (gpu) {
                label = "GPU " + (t.device() == null ? "?" : t.device()) + " · stream " + (t.stream() == null ? "?" : t.stream());
                detail = t.kind().equals(TrackKind.GPU_ANNOTATION.label) ? "annotations" : "kernels, memcpy, memset";
            } else {
                String thread = t.threadName() != null && !t.threadName().isBlank() ? t.threadName()
                        : t.name() != null ? t.name() : "thread " + t.tid();
                label = thread;
                detail = (t.processName() == null || t.processName().isBlank() ? "process" : t.processName())
                        + (t.pid() == null ? "" : " " + t.pid()) + (t.tid() == null ? "" : " · tid " + t.tid());
            }
            out.add(new Track(t.id(), label, detail, gpu, (int) a[0], a[1], a[2]));
        }
        out.sort(Comparator.comparing((Track t) -> !t.gpu()).thenComparing(t -> t.label().startsWith("thread ") ? 0 : 1)
                .thenComparingInt(Track::id));
        return out;
    }

    /**
     * The boxes of one track that overlap [fromNs, toNs), at {@code nsPerPixel}: slices from
     * {@code fromNs - maxDur} on (so every ancestor of a visible slice is read and depths are right).
     */
    static List<Box> window(CaptureSession s, Track track, long fromNs, long toNs, double nsPerPixel) throws SQLException {
        List<String> names = s.strings();
        List<Box> out = new ArrayList<>();
        Pending[] pending = new Pending[MAX_DEPTH + 1];
        long[] ends = new long[MAX_DEPTH + 1];
        int top = 0;
        try (PreparedStatement ps = s.reader().connection().prepareStatement(
                "SELECT id, start_ns, dur_ns, name_id, category, args_id FROM slice"
                        + " WHERE track_id = ? AND start_ns >= ? AND start_ns < ? ORDER BY start_ns, dur_ns DESC")) {
            ps.setInt(1, track.id());
            ps.setLong(2, fromNs - track.maxDurNs() - 1);
            ps.setLong(3, toNs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong(2);
                    long dur = rs.getLong(3);
                    while (top > 0 && ends[top - 1] <= start) {
                        top--;
                    }
                    int depth = Math.min(top, MAX_DEPTH);
                    if (top <= MAX_DEPTH) {
                        ends[depth] = start + dur;
                        top = Math.min(top + 1, MAX_DEPTH + 1);
                    }
                    long end = start + dur;
                    if (end < fromNs) {
                        continue;
                    }
                    Pending p = pending[depth];
                    boolean small = dur < nsPerPixel;
                    if (p != null && small && p.small && start - p.end < nsPerPixel) {
                        p.add(start, end, rs.getLong(1), rs.getInt(4), rs.getInt(5), rs.getLong(6));
                        continue;
                    }
                    if (p != null) {
                        out.add(p.box(depth, names));
                    }
                    p = new Pending();
                    p.small = small;
                    p.start = start;
                    p.end = end;
                    p.add(start, end, rs.getLong(1), rs.getInt(4), rs.getInt(5), rs.getLong(6));
                    pending[depth] = p;
                }
            }
        }
        for (int d = 0; d < pending.length; d++) {
            if (pending[d] != null) {
                out.add(pending[d].box(d, names));
            }
        }
        return out;
    }

    private static final class Pending {
        boolean small;
        long start;
        long end;
        int count;
        long bestDur = -1;
        long id;
        int nameId;
        int category;
        long argsId;

        void add(long s, long e, long sliceId, int name, int cat, long args) {
            end = Math.max(end, e);
            count++;
            if (e - s > bestDur) {
                bestDur = e - s;
                id = sliceId;
                nameId = name;
                category = cat;
                argsId = args;
            }
        }

        Box box(int depth, List<String> names) {
            String name = nameId >= 0 && nameId < names.size() ? names.get(nameId) : "?";
            return new Box(start, end, depth, Category.byId(category), name, id, argsId, count);
        }
    }
}
