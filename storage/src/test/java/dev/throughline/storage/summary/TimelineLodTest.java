package dev.throughline.storage.summary;

import dev.throughline.storage.Category;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.TrackKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Known slices → known bucket rows. */
class TimelineLodTest {
    private static final int KERNEL = Category.KERNEL.id;
    private static final int OP = Category.CPU_OP.id;

    private static List<TimelineLod.Row> run(int[] levels, long[][] slices, TimelineLod.TrackSummary[] summary) {
        List<TimelineLod.Row> rows = new ArrayList<>();
        TimelineLod lod = new TimelineLod(3, levels, rows::add);
        for (long[] s : slices) { // id, start, dur, category, name
            lod.add(s[0], s[1], s[2], (int) s[3], (int) s[4]);
        }
        summary[0] = lod.finish();
        return rows;
    }

    @Test
    void bucketsHoldCountsBusyTimeAndTheLongestSlicePerDepth() {
        // buckets of 1024 ns (shift 10) and 4096 ns (shift 12)
        long[][] slices = {
                {1, 0, 3000, OP, 100},    // depth 0 over buckets 0, 1, 2 at shift 10
                {2, 0, 100, KERNEL, 200}, // same start, shorter: its child, depth 1
                {3, 200, 300, KERNEL, 201}, // depth 1, bucket 0
                {4, 5000, 10, KERNEL, 202}, // depth 0, bucket 4 (shift 10), bucket 1 (shift 12)
        };
        TimelineLod.TrackSummary[] sum = new TimelineLod.TrackSummary[1];
        List<TimelineLod.Row> rows = run(new int[] {10, 12}, slices, sum);
        List<TimelineLod.Row> expected = List.of(
                // shift 10, depth 0: slice 1 covers [0, 3000): 1024 + 1024 + 952, then slice 4 alone in bucket 4
                new TimelineLod.Row(3, 10, 0, 0, 1, 1024, 1, OP, 100),
                new TimelineLod.Row(3, 10, 0, 1, 0, 1024, 1, OP, 100),
                new TimelineLod.Row(3, 10, 0, 2, 0, 952, 1, OP, 100),
                new TimelineLod.Row(3, 10, 0, 4, 1, 10, 4, KERNEL, 202),
                // shift 10, depth 1: slices 2 and 3 in bucket 0, the longer one (3) named
                new TimelineLod.Row(3, 10, 1, 0, 2, 400, 3, KERNEL, 201),
                // shift 12, depth 0: bucket 0 holds slice 1 whole, bucket 1 slice 4
                new TimelineLod.Row(3, 12, 0, 0, 1, 3000, 1, OP, 100),
                new TimelineLod.Row(3, 12, 0, 1, 1, 10, 4, KERNEL, 202),
                new TimelineLod.Row(3, 12, 1, 0, 2, 400, 3, KERNEL, 201));
        List<TimelineLod.Row> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> a.shift() != b.shift() ? a.shift() - b.shift()
                : a.depth() != b.depth() ? a.depth() - b.depth() : Long.compare(a.bucket(), b.bucket()));
        assertEquals(expected, sorted);
        assertEquals(new TimelineLod.TrackSummary(3, 4, 1, 3000, 10, 12), sum[0]);
    }

    @Test
    void rowsOfOneLevelAndDepthComeInBucketOrder() {
        long[][] slices = new long[100][];
        for (int i = 0; i < 100; i++) {
            slices[i] = new long[] {i + 1, i * 700L, 500, KERNEL, 7};
        }
        TimelineLod.TrackSummary[] sum = new TimelineLod.TrackSummary[1];
        List<TimelineLod.Row> rows = run(new int[] {10, 10}, slices, sum);
        long busy = 0;
        long count = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                assertEquals(true, rows.get(i).bucket() > rows.get(i - 1).bucket());
            }
            busy += rows.get(i).busyNs();
            count += rows.get(i).count();
        }
        assertEquals(100 * 500, busy, "clipped parts add up to the slices' time");
        assertEquals(100, count);
    }

    @Test
    void levelsGoFromEightSlicesPerBucketToAFewHundredBuckets() {
        assertNull(TimelineLod.levels(40_000, 1_000_000_000L), "few slices: none");
        // 1M slices over 1 s: the finest level with ≤ 125,000 buckets is 2^14 ns (61,036 buckets; 2^12 has 244,141)
        assertArrayEquals(new int[] {14, 22}, TimelineLod.levels(1_000_000, 1_000_000_000L));
        // slices dense in a short extent: the finest level is the finest there is
        assertArrayEquals(new int[] {10, 10}, TimelineLod.levels(1_000_000, 1000));
    }

    @Test
    void aClosedCaptureHasTrackSummariesAndLodRows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lod.tlcap");
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int p = w.process(1, "p");
            int th = w.thread(p, 1, "main");
            int dense = w.track(TrackKind.THREAD, p, th, null, null, null);
            int sparse = w.track(TrackKind.THREAD, p, w.thread(p, 2, "other"), null, null, null);
            int name = w.string("op");
            long base = 1_000_000_000_000L;
            for (int i = 0; i < 60_000; i++) {
                w.slice(dense, base + i * 1000L, 600, name, Category.CPU_OP, 0, -1, -1, 0);
            }
            w.slice(sparse, base, 5_000_000, name, Category.CPU_OP, 0, -1, -1, 0);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT track_id, slices, max_depth, max_dur_ns, lod_min_shift,"
                    + " lod_max_shift FROM summary_track ORDER BY track_id")) {
                rs.next();
                assertEquals(60_000, rs.getLong(2));
                assertEquals(600, rs.getLong(4));
                assertEquals(TimelineLod.levels(60_000, 59_999_000L)[0], rs.getInt(5));
                rs.next();
                assertEquals(1, rs.getLong(2));
                assertNull(rs.getObject(5), "one slice: no levels");
            }
            try (ResultSet rs = st.executeQuery("SELECT shift, SUM(count), SUM(busy_ns) FROM summary_lod"
                    + " GROUP BY shift ORDER BY shift LIMIT 1")) {
                rs.next();
                assertEquals(60_000, rs.getLong(2));
                assertEquals(60_000 * 600L, rs.getLong(3));
            }
        }
    }
}
