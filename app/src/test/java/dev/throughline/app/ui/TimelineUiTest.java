package dev.throughline.app.ui;

import dev.throughline.storage.Category;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.throughline.app.ui.SampledCapture.MS;
import static dev.throughline.app.ui.WorkbenchUiTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline on {@link SampledCapture}: range selection (the gesture, the totals panel, the flame graph of
 * the range), search with next/previous, counter rows and instants.
 */
@ExtendWith(ApplicationExtension.class)
class TimelineUiTest {
    static Path dir;
    static Path capture;
    MainWindow window;

    @BeforeAll
    static void write() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-timeline-test-");
        capture = SampledCapture.write(dir.resolve("sampled.tlcap"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        UiTests.deleteTree(dir);
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    static TimelineView showTimeline(CaptureView view) throws Exception {
        fx(() -> {
            view.showView("Timeline");
            return null;
        });
        TimelineView t = view.timeline();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> !t.loadingProperty().get() && !t.drawn().isEmpty()));
        // the tab's content joins the scene when first shown: wait until its layout has settled (the vertical
        // scroll bar appears once the tracks are read, and narrows the canvas)
        double[] width = {-1};
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            double w = fx(() -> t.canvas().getWidth());
            boolean settled = w == width[0] && fx(() -> !t.loadingProperty().get() && !t.drawn().isEmpty());
            width[0] = w;
            return settled;
        });
        return t;
    }

    static double xOf(TimelineView t, double ns) throws Exception {
        TimelineView.Range r = fx(() -> t.visibleRangeProperty().get());
        double w = fx(() -> t.canvas().getWidth()) - TimelineView.LABEL_W;
        return TimelineView.LABEL_W + (ns - r.startNs()) / r.width() * w;
    }

    @Test
    void draggingOnTheRulerSelectsARangeAndListsItsTotals(FxRobot robot) throws Exception {
        TimelineView t = showTimeline(FlameGraphUiTest.open(window, capture));
        long origin = t.spanStartRel();
        Point2D from = fx(() -> t.canvas().localToScreen(xOf(t, origin + 100 * MS), 12));
        Point2D to = fx(() -> t.canvas().localToScreen(xOf(t, origin + 300 * MS), 12));
        robot.drag(from, MouseButton.PRIMARY).moveTo(to).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        TimelineView.Range r = fx(() -> t.rangeSelectionProperty().get());
        // a robot drag lands within a few pixels of where it was aimed (more on a busy machine): ±15 ms here;
        // the exact figures below come from selectRange
        assertEquals(200 * MS, r.width(), 15 * MS, "the dragged range: " + r);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.rangePane().summary() != null));
        assertTrue(fx(() -> t.rangePane().isVisible()));
        assertTrue(fx(() -> t.rangePane().title().getText()).matches("Range (8[5-9]|9\\d|10\\d|11[0-5])[.,\\d]* ms.*"),
                fx(() -> t.rangePane().title().getText()));

        // exact numbers: 200 ms from 100 ms = steps 1 and 2 whole, each with its data_wait and forward
        fx(() -> {
            t.selectRange(origin + 100 * MS, origin + 300 * MS);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.rangePane().summary() != null
                && t.rangePane().summary().fromNs() == origin + 100 * MS));
        RangeQuery.RangeSummary s = fx(() -> t.rangePane().summary());
        assertEquals(Category.STEP, s.categories().get(0).category());
        assertEquals(200 * MS, s.categories().get(0).totalNs());
        assertEquals(100 * MS, s.categories().stream().filter(c -> c.category() == Category.DATA_WAIT).findFirst().orElseThrow().totalNs());
        assertEquals(80 * MS, s.categories().stream().filter(c -> c.category() == Category.PYTHON).findFirst().orElseThrow().totalNs());
        assertEquals("data_wait", s.names().get(0).name(), "names: data_wait 100 ms, step#1 and step#2 100 ms each, forward 80 ms");
        assertEquals(2, s.names().get(0).count());
        assertEquals(4, s.names().size());
        assertEquals(4, fx(() -> t.rangePane().names().table().getItems().size()));

        // a range cut through slices counts only their part inside
        fx(() -> {
            t.selectRange(origin + 25 * MS, origin + 75 * MS);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.rangePane().summary() != null
                && t.rangePane().summary().fromNs() == origin + 25 * MS)); // null while the new range is read
        s = fx(() -> t.rangePane().summary());
        assertEquals(50 * MS, s.categories().get(0).totalNs());
        assertEquals(25 * MS, s.names().stream().filter(n -> n.name().equals("data_wait")).findFirst().orElseThrow().totalNs());
        assertEquals(20 * MS, s.names().stream().filter(n -> n.name().equals("forward")).findFirst().orElseThrow().totalNs());

        // Esc clears it
        robot.clickOn(fx(() -> t.canvas().localToScreen(TimelineView.LABEL_W + 5, TimelineView.RULER_H + 5)));
        robot.type(KeyCode.ESCAPE);
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(fx(() -> t.rangeSelectionProperty().get()));
        assertTrue(!fx(() -> t.rangePane().isVisible()));
    }

    @Test
    void theFlameGraphOfARangeHasOnlyItsSamples(FxRobot robot) throws Exception {
        CaptureView view = FlameGraphUiTest.open(window, capture);
        TimelineView t = showTimeline(view);
        long origin = t.spanStartRel();
        fx(() -> {
            t.selectRange(origin, origin + 200 * MS);
            return null;
        });
        robot.clickOn("#range-flame");
        WaitForAsyncUtils.waitForFxEvents();
        FlameGraphView f = view.flame();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> !f.loadingProperty().get() && f.tree() != null
                && f.tree().totalWeight() == 300));
        assertEquals("Flame", fx(() -> view.getSelectionModel().getSelectedItem().getText()));
        assertEquals(80, fx(() -> f.tree().find("forward").total()), "40 % of MainThread's 200 samples");
        assertEquals(100, fx(() -> f.tree().find("java.lang.Thread.run").total()), "the worker samples every 2 ms");
    }

    @Test
    void searchCountsMatchesAndEnterJumpsToThem(FxRobot robot) throws Exception {
        TimelineView t = showTimeline(FlameGraphUiTest.open(window, capture));
        long origin = t.spanStartRel();
        robot.clickOn(fx(() -> t.canvas().localToScreen(TimelineView.LABEL_W + 5, TimelineView.RULER_H + 5)));
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> t.searchField().isFocused()), "Ctrl+F focuses the search field");
        robot.write("FORW");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.searchCountLabel().getText().startsWith("10 matches")));
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("1 of 10", fx(() -> t.searchCountLabel().getText()));
        TimelineQuery.Box first = fx(() -> t.selectedProperty().get());
        assertEquals("forward", first.name());
        assertEquals(origin + 55 * MS, first.startNs());
        TimelineView.Range r = fx(() -> t.visibleRangeProperty().get());
        assertEquals(320 * MS, r.width(), 1, "a 40 ms match zoomed out of sight is zoomed to 1/8 of the view");
        assertTrue(r.startNs() <= origin + 55 * MS && r.endNs() >= origin + 95 * MS, "the match is in view: " + r);
        assertEquals("forward", fx(() -> t.details().shownName()));
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(origin + 155 * MS, fx(() -> t.selectedProperty().get().startNs()));
        TimelineView.Range second = fx(() -> t.visibleRangeProperty().get());
        assertEquals(origin + 175 * MS, (second.startNs() + second.endNs()) / 2, 1, "the match is centred, the zoom kept");
        assertEquals(320 * MS, second.width(), 1);
        robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
        robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("10 of 10", fx(() -> t.searchCountLabel().getText()), "Shift+Enter goes back and wraps");
        assertEquals(origin + 955 * MS, fx(() -> t.selectedProperty().get().startNs()));
        fx(() -> {
            t.searchField().setText("no such slice");
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.searchCountLabel().getText().equals("no matches")));
    }

    @Test
    void countersAreDrawnAsRowsAndInstantsAsMarkers(FxRobot robot) throws Exception {
        TimelineView t = showTimeline(FlameGraphUiTest.open(window, capture));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.counterRows().size() == 2 && t.counterSeries().size() == 2));
        assertEquals("cpu_percent", fx(() -> t.counterRows().get(0).track().name()));
        assertEquals("rss_bytes", fx(() -> t.counterRows().get(1).track().name()));
        assertEquals("95.0 %", fx(() -> t.counterRows().get(0).track().format(95)));
        assertEquals("286.1 MB", fx(() -> t.counterRows().get(1).track().format(300e6)));
        int cpu = fx(() -> t.counterRows().get(0).track().id());
        CounterQuery.Series s = fx(() -> t.counterSeries().get(cpu));
        assertTrue(s.size() > 20, "101 points over ~1,000 px are all kept: " + s.size());
        assertEquals(50 + 45 * Math.sin(10 / 8.0), s.valueAt(t.spanStartRel() + 105 * MS), 1e-9, "a value holds until the next");
        assertEquals(10, fx(() -> t.instants().size()));
        assertEquals("checkpoint", fx(() -> t.instants().get(0).name()));
        TimelineView.CounterDrawn row = fx(() -> t.counterRows().get(0));
        robot.moveTo(fx(() -> t.canvas().localToScreen(xOf(t, t.spanStartRel() + 105 * MS), row.y() + row.h() / 2)));
        WaitForAsyncUtils.waitForFxEvents();
        String tip = fx(t::hoverText);
        assertTrue(tip.startsWith("cpu_percent = ") && tip.contains(" %\nat 10"), tip);
    }
}
