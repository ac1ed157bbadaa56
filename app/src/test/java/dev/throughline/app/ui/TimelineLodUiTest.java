package dev.throughline.app.ui;

import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.throughline.app.ui.WorkbenchUiTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline's level of detail on a capture with one dense track (200,000 slices of 1 µs every 5 µs, with a
 * 1 ms parent every 1,000 of them) and one sparse track: zoomed out, the dense track is drawn from summary_lod
 * and the sparse one from its slices; zoomed in, both from slices; a capture without the LOD tables (written
 * before them) is drawn from slices at any zoom.
 */
@ExtendWith(ApplicationExtension.class)
class TimelineLodUiTest {
    static final int SLICES = 200_000;
    static Path dir;
    static Path capture;
    static Path older;
    MainWindow window;

    @BeforeAll
    static void write() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-lod-test-");
        capture = dir.resolve("dense.tlcap");
        long base = 1_700_000_000_000_000_000L;
        try (CaptureWriter w = CaptureWriter.create(capture, false)) {
            int p = w.process(7, "train");
            int dense = w.track(TrackKind.THREAD, p, w.thread(p, 1, "main"), null, null, null);
            int sparse = w.track(TrackKind.THREAD, p, w.thread(p, 2, "loader"), null, null, null);
            int op = w.string("aten::add");
            int block = w.string("block");
            int fetch = w.string("fetch");
            for (int i = 0; i < SLICES; i++) {
                long start = base + i * 5_000L;
                if (i % 1000 == 0) {
                    w.slice(dense, start, 5_000_000L - 1000, block, Category.PYTHON, 0, -1, -1, 0);
                }
                w.slice(dense, start, 1_000, op, Category.CPU_OP, 1, -1, -1, 0);
            }
            for (int i = 0; i < 20; i++) {
                w.slice(sparse, base + i * 50_000_000L, 20_000_000L, fetch, Category.DATA_FETCH, 0, -1, -1, 0);
            }
        }
        older = dir.resolve("older.tlcap");
        Files.copy(capture, older);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + older); Statement st = c.createStatement()) {
            st.execute("DROP TABLE summary_lod");
            st.execute("DROP TABLE summary_track");
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        UiTests.deleteTree(dir);
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    private static List<TimelineView.Drawn> drawnOn(TimelineView t, String track) throws Exception {
        return fx(() -> t.drawn().stream().filter(d -> d.track().label().equals(track)).toList());
    }

    /** Shows [from, to) (relative ns) and waits for a read of that window to be drawn. */
    private static void showAndWait(TimelineView t, double from, double to) throws Exception {
        long before = fx(t::readsStarted);
        fx(() -> {
            t.show(from, to);
            return null;
        });
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> !t.loadingProperty().get()
                && t.lastRead() != null && t.lastRead().seq() > before));
    }

    @Test
    void zoomedOutADenseTrackIsDrawnFromItsSummaryAndZoomedInFromItsSlices() throws Exception {
        TimelineView t = TimelineUiTest.showTimeline(FlameGraphUiTest.open(window, capture));
        TimelineQuery.Track main = fx(() -> t.tracksShown().stream().filter(x -> x.label().equals("main")).findFirst()
                .orElseThrow());
        assertEquals(SLICES + SLICES / 1000, main.slices(), "from summary_track");
        assertEquals(1, main.depth());
        assertTrue(main.lodMinShift() > 0, "levels were written for the dense track");

        // the whole capture (1 s over ~1,000 px): main from summary_lod, loader from its 20 slices
        long origin = fx(t::spanStartRel);
        showAndWait(t, origin, origin + SLICES * 5_000L);
        assertEquals(1, fx(() -> t.lastRead().lodTracks()));
        List<TimelineView.Drawn> mainBoxes = drawnOn(t, "main");
        assertFalse(mainBoxes.isEmpty());
        assertTrue(mainBoxes.stream().allMatch(d -> d.box().lodShift() >= 0), "main drawn from buckets");
        assertTrue(mainBoxes.stream().anyMatch(d -> d.box().depth() == 1 && d.box().merged() > 1),
                "the 1 µs ops merged per bucket");
        assertTrue(mainBoxes.size() < 5_000, "a few thousand boxes, not 200,000: " + mainBoxes.size());
        assertTrue(drawnOn(t, "loader").stream().allMatch(d -> d.box().lodShift() < 0), "the sparse track: slices");
        // the 5 ms blocks at depth 0 are wider than a bucket: drawn as themselves, with exact times and names
        TimelineView.Drawn block = mainBoxes.stream().filter(d -> d.box().depth() == 0 && d.box().merged() == 1)
                .findFirst().orElseThrow();
        assertEquals("block", block.box().name());
        assertEquals(5_000_000L - 1000, block.box().endNs() - block.box().startNs());

        // 50 µs: ten ops (from 1,005 µs to 1,050 µs), each its own slice
        showAndWait(t, origin + 1_001_500, origin + 1_051_500);
        assertEquals(0, fx(() -> t.lastRead().lodTracks()));
        List<TimelineView.Drawn> ops = drawnOn(t, "main").stream().filter(d -> d.box().depth() == 1).toList();
        assertEquals(10, ops.size(), "ops in the window: " + ops.size());
        assertTrue(ops.stream().allMatch(d -> d.box().lodShift() < 0 && d.box().merged() == 1
                && d.box().name().equals("aten::add") && d.box().endNs() - d.box().startNs() == 1_000));
    }

    @Test
    void aCaptureWithoutTheSummaryIsDrawnFromSlices() throws Exception {
        TimelineView t = TimelineUiTest.showTimeline(FlameGraphUiTest.open(window, older));
        TimelineQuery.Track main = fx(() -> t.tracksShown().stream().filter(x -> x.label().equals("main")).findFirst()
                .orElseThrow());
        assertEquals(SLICES + SLICES / 1000, main.slices(), "counted by the pass over slice");
        assertEquals(1, main.depth());
        assertEquals(-1, main.lodMinShift());
        long origin = fx(t::spanStartRel);
        showAndWait(t, origin, origin + SLICES * 5_000L);
        assertEquals(0, fx(() -> t.lastRead().lodTracks()));
        assertTrue(drawnOn(t, "main").stream().allMatch(d -> d.box().lodShift() < 0));
        assertFalse(drawnOn(t, "main").isEmpty());
    }
}
