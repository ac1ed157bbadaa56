package dev.throughline.app.ui;

import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import dev.throughline.storage.summary.TimelineLod;
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
    /** A summary_lod level is drawn while its buckets are at most this many pixels wide. */
    static final double MAX_BUCKET_PX = 4;

    /** Deeper nesting is drawn on the last row. */
    static final int MAX_DEPTH = 24;

    /**
     * A timeline row group: one track with its nesting depth and its longest slice (to find ancestors), and
     * the summary_lod levels written for it ({@code lodMinShift} -1: none, its slices are read at any zoom).
     */
    record Track(int id, String label, String detail, boolean gpu, int depth, long slices, long maxDurNs,
                 int lodMinShift, int lodMaxShift) {
    }

    /**
     * One drawn box: a slice, or {@code merged} slices narrower than a pixel (then id/argsId belong to the longest).
     * {@code busy} is the share of the box that slices cover (1 for a slice); {@code lodShift} the summary_lod
     * level it was read from, or -1 when it was read from slice.
     */
    record Box(long startNs, long endNs, int depth, Category category, String name, long id, long argsId, int merged,
               double busy, int lodShift) {
        Box(long startNs, long endNs, int depth, Category category, String name, long id, long argsId, int merged) {
            this(startNs, endNs, depth, category, name, id, argsId, merged, 1, -1);
        }
    }

    private TimelineQuery() {
    }

    /**
     * The tracks that hold slices, GPU streams first, then threads by process, with each track's nesting depth
     * and longest slice: from summary_track, or (older captures) one ordered pass over (track, start).
     */
    static List<Track> tracks(CaptureSession s) throws SQLException {
        List<TrackInfo> infos = s.reader().tracks();
        Connection c = s.reader().connection();
        Map<Integer, long[]> stats = hasTable(c, "summary_track") ? storedStats(c) : scanStats(c);
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
            out.add(new Track(t.id(), label, detail, gpu, (int) a[0], a[1], a[2], (int) a[3], (int) a[4]));
        }
        out.sort(Comparator.comparing((Track t) -> !t.gpu()).thenComparing(t -> t.label().startsWith("thread ") ? 0 : 1)
                .thenComparingInt(Track::id));
        return out;
    }

    static boolean hasTable(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Per track {depth, count, maxDur, lodMinShift, lodMaxShift} from summary_track: no pass over slice. */
    private static Map<Integer, long[]> storedStats(Connection c) throws SQLException {
        Map<Integer, long[]> stats = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT track_id, slices, max_depth, max_dur_ns, lod_min_shift, lod_max_shift"
                     + " FROM summary_track")) {
            while (rs.next()) {
                long min = rs.getLong(5);
                long minShift = rs.wasNull() ? -1 : min;
                long max = rs.getLong(6);
                long maxShift = rs.wasNull() ? -1 : max;
                stats.put(rs.getInt(1), new long[] {Math.min(rs.getLong(3), MAX_DEPTH), rs.getLong(2), rs.getLong(4),
                        minShift, maxShift});
            }
        }
        return stats;
    }

    /** A capture written before summary_track: one ordered pass over (track, start) computes the same figures. */
    private static Map<Integer, long[]> scanStats(Connection c) throws SQLException {
        Map<Integer, long[]> stats = new HashMap<>(); // depth, count, maxDur, no LOD levels
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
                    acc = new long[] {0, 0, 0, -1, -1};
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
        return stats;
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

    /**
     * The summary_lod level to draw {@code track} from at {@code nsPerPixel}: the coarsest whose buckets are at
     * most 4 px wide (1–4 px: levels are 4× apart), or -1 when the track has none that fine (zoomed in, or no
     * levels: read its slices, about 2 per pixel at most on average, see TimelineLod.SLICES_PER_BUCKET).
     */
    static int lodShift(Track track, double nsPerPixel) {
        if (track.lodMinShift() < 0) {
            return -1;
        }
        int best = -1;
        for (int s = track.lodMinShift(); s <= track.lodMaxShift(); s += TimelineLod.SHIFT_STEP) {
            if ((double) (1L << s) <= MAX_BUCKET_PX * nsPerPixel) {
                best = s;
            }
        }
        return best;
    }

    /**
     * The boxes of one track over [fromNs, toNs) from its summary_lod rows at {@code shift}, one read per depth.
     * Adjacent buckets of one category merge into one box; a run of buckets that one slice covers becomes
     * that slice, read by id for its exact times and arguments, so long slices keep their edges and names.
     */
    static List<Box> lodWindow(CaptureSession s, Track track, int shift, long fromNs, long toNs) throws SQLException {
        List<String> names = s.strings();
        List<Box> out = new ArrayList<>();
        List<LodRun> singles = new ArrayList<>();
        Connection c = s.reader().connection();
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket, count, busy_ns, slice_id, category, name_id"
                + " FROM summary_lod WHERE track_id = ? AND shift = ? AND depth = ? AND bucket >= ? AND bucket <= ?")) {
            for (int depth = 0; depth <= track.depth(); depth++) {
                ps.setInt(1, track.id());
                ps.setInt(2, shift);
                ps.setInt(3, depth);
                ps.setLong(4, fromNs >> shift);
                ps.setLong(5, (toNs - 1) >> shift);
                LodRun run = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long bucket = rs.getLong(1);
                        long count = rs.getLong(2);
                        long busy = rs.getLong(3);
                        long id = rs.getLong(4);
                        int category = rs.getInt(5);
                        int name = rs.getInt(6);
                        if (run != null && run.accepts(bucket, id, category)) {
                            run.add(bucket, count, busy, id, name);
                            continue;
                        }
                        if (run != null) {
                            run.emit(out, singles, names);
                        }
                        run = new LodRun(shift, depth, bucket, category, id);
                        run.add(bucket, count, busy, id, name);
                    }
                }
                if (run != null) {
                    run.emit(out, singles, names);
                }
            }
        }
        exactSlices(c, singles, out, names, shift);
        return out;
    }

    /** Runs that are one slice: read those slices by id (in chunks) for their exact times and arguments. */
    private static void exactSlices(Connection c, List<LodRun> singles, List<Box> out, List<String> names, int shift)
            throws SQLException {
        for (int from = 0; from < singles.size(); from += 500) {
            List<LodRun> chunk = singles.subList(from, Math.min(singles.size(), from + 500));
            Map<Long, LodRun> byId = new HashMap<>();
            StringBuilder sql = new StringBuilder("SELECT id, start_ns, dur_ns, name_id, category, args_id FROM slice WHERE id IN (");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "?" : ",?");
                byId.put(chunk.get(i).firstId, chunk.get(i));
            }
            try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i).firstId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LodRun r = byId.remove(rs.getLong(1));
                        if (r == null) {
                            continue;
                        }
                        int nameId = rs.getInt(4);
                        String name = nameId >= 0 && nameId < names.size() ? names.get(nameId) : "?";
                        long start = rs.getLong(2);
                        out.add(new Box(start, start + rs.getLong(3), r.depth, Category.byId(rs.getInt(5)), name,
                                rs.getLong(1), rs.getLong(6), 1, 1, shift));
                    }
                }
            }
            for (LodRun r : byId.values()) { // not found (cannot happen in a consistent capture): draw the buckets
                out.add(r.box(names));
            }
        }
    }

    /** Adjacent summary_lod rows of one depth on their way to becoming one box. */
    private static final class LodRun {
        final int shift;
        final int depth;
        final int category;
        final long firstBucket;
        final long firstId;
        long lastBucket;
        long lastId;
        boolean oneSlice = true;
        int rows;
        long count;
        long busy;
        long bestBusy = -1;
        long bestId;
        int bestName;

        LodRun(int shift, int depth, long bucket, int category, long id) {
            this.shift = shift;
            this.depth = depth;
            this.firstBucket = bucket;
            this.lastBucket = bucket;
            this.category = category;
            this.firstId = id;
            this.lastId = id;
        }

        /** The next bucket joins when it is adjacent and of the same category, except where a long slice starts or ends. */
        boolean accepts(long bucket, long id, int cat) {
            if (bucket != lastBucket + 1 || cat != category) {
                return false;
            }
            boolean continues = id == lastId;
            boolean longSlice = oneSlice && rows >= 2;
            return continues ? oneSlice || rows < 2 : !longSlice;
        }

        void add(long bucket, long c, long b, long id, int name) {
            if (id != lastId) {
                oneSlice = false;
            }
            lastBucket = bucket;
            lastId = id;
            rows++;
            count += c;
            busy += b;
            if (b > bestBusy) {
                bestBusy = b;
                bestId = id;
                bestName = name;
            }
        }

        void emit(List<Box> out, List<LodRun> singles, List<String> names) {
            if (oneSlice && (rows >= 2 || count <= 1)) {
                singles.add(this);
            } else {
                out.add(box(names));
            }
        }

        Box box(List<String> names) {
            long start = firstBucket << shift;
            long end = (lastBucket + 1) << shift;
            String name = bestName >= 0 && bestName < names.size() ? names.get(bestName) : "?";
            return new Box(start, end, depth, Category.byId(category), name, bestId, 0, (int) Math.max(2, count),
                    Math.min(1, busy / (double) (end - start)), shift);
        }
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
