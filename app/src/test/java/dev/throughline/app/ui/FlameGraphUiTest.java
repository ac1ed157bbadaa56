package dev.throughline.app.ui;

import javafx.geometry.Point2D;
import javafx.scene.control.Hyperlink;
import javafx.scene.input.KeyCode;
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

import static dev.throughline.app.ui.WorkbenchUiTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Flame tab on {@link SampledCapture} (known sample counts), and its empty state on a capture without samples. */
@ExtendWith(ApplicationExtension.class)
class FlameGraphUiTest {
    static Path dir;
    static Path capture;
    MainWindow window;

    @BeforeAll
    static void write() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-flame-test-");
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

    static CaptureView open(MainWindow window, Path file) throws Exception {
        fx(() -> {
            window.open(file);
            return null;
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> !window.busy() && window.selectedView() != null));
        return fx(window::selectedView);
    }

    static FlameGraphView showFlame(CaptureView view) throws Exception {
        fx(() -> {
            view.showView("Flame");
            return null;
        });
        FlameGraphView f = view.flame();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> !f.loadingProperty().get() && !f.drawn().isEmpty()));
        return f;
    }

    private static FlameGraphView.Drawn drawn(FlameGraphView f, String function) throws Exception {
        return fx(() -> f.drawn().stream().filter(d -> d.node().function().equals(function)).findFirst().orElseThrow());
    }

    @Test
    void samplesAreMergedAndDrawnByWeight(FxRobot robot) throws Exception {
        FlameGraphView f = showFlame(open(window, capture));
        assertEquals(1500, fx(() -> f.tree().totalWeight()));
        FlameGraphView.Drawn main = drawn(f, "main");
        FlameGraphView.Drawn forward = drawn(f, "forward");
        FlameGraphView.Drawn run = drawn(f, "java.lang.Thread.run");
        assertEquals(400, forward.node().total(), "lines 5 and 6 of forward are one frame");
        assertEquals(1000.0 / 500.0, main.w() / run.w(), 0.01, "widths follow the samples");
        assertEquals(0.4, forward.w() / main.w(), 0.01);
        assertTrue(forward.y() > main.y(), "icicle: callees below their callers");
        robot.clickOn("#flame-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(drawn(f, "forward").y() < drawn(f, "main").y(), "flame: roots at the bottom");
        robot.clickOn("#flame-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        String status = fx(() -> f.lookup("#flame-status") instanceof javafx.scene.control.Label l ? l.getText() : "");
        assertTrue(status.startsWith("1,500 samples · 8 frames"), status);

        // hover: function, file:line, total and self with %
        robot.moveTo(fx(() -> f.canvas().localToScreen(forward.x() + forward.w() / 2, forward.y() + forward.h() / 2)));
        WaitForAsyncUtils.waitForFxEvents();
        String tip = fx(f::tooltipText);
        assertTrue(tip.startsWith("forward\n/work/model.py:5\nPython frame"), tip);
        assertTrue(tip.contains("total: 400 samples (27 % of all)"), tip);
        assertTrue(tip.contains("self: 300 samples (20 % of all)"), tip);

        // the self/total table agrees: forward 300 self, 400 total, of 1,500
        Object[] row = fx(() -> f.functionsTable().table().getItems().stream()
                .filter(r -> r[0].equals("forward")).findFirst().orElseThrow());
        assertEquals(300L, row[2]);
        assertEquals(0.2, (Double) row[3], 1e-9);
        assertEquals(400L, row[4]);
        assertEquals("main", fx(() -> f.functionsTable().table().getItems().get(0)[0]), "largest total first");

        // click zooms: train_step spans the width, main stays above as the path back
        FlameGraphView.Drawn step = drawn(f, "train_step");
        robot.clickOn(fx(() -> f.canvas().localToScreen(step.x() + 5, step.y() + step.h() / 2)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("train_step", fx(() -> f.focus().function()));
        FlameGraphView.Drawn zoomedStep = drawn(f, "train_step");
        assertEquals(fx(() -> f.canvas().getWidth()) - 2 * FlameGraphView.PAD, zoomedStep.w(), 1);
        assertTrue(drawn(f, "main").ancestor());
        assertEquals(0.5 / 0.9, drawn(f, "load_batch").w() / zoomedStep.w(), 0.01, "500 of train_step's 900");
        assertTrue(fx(() -> f.breadcrumb().getChildren().stream()
                .anyMatch(n -> n instanceof Hyperlink h && h.getText().equals("train_step"))));
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("main", fx(() -> f.focus().function()), "Esc goes up one frame");
        robot.clickOn(fx(() -> f.breadcrumb().getChildren().get(0)));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> f.focus().isRoot()), "the breadcrumb's first link is all samples");
    }

    @Test
    void theFilterHighlightsFramesAndSaysTheirShare(FxRobot robot) throws Exception {
        FlameGraphView f = showFlame(open(window, capture));
        robot.clickOn("#flame-filter").write("LOAD_b");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("1 frames · 33 % of samples", fx(() -> f.matchLabel().getText()));
        fx(() -> {
            f.filterField().setText("java");
            return null;
        });
        assertEquals("3 frames · 33 % of samples", fx(() -> f.matchLabel().getText()), "nested matches count once");
        fx(() -> {
            f.filterField().setText("zzz");
            return null;
        });
        assertEquals("no frame matches", fx(() -> f.matchLabel().getText()));
    }

    @Test
    void theThreadSelectorAndTheRangeRestrictTheSamples(FxRobot robot) throws Exception {
        CaptureView view = open(window, capture);
        FlameGraphView f = showFlame(view);
        assertEquals(4, fx(() -> f.sourceBox().getItems().size()), "all, the process, its two threads");
        assertTrue(fx(() -> f.sourceBox().getItems().get(0).label()).startsWith("All threads (1,500 samples)"));
        fx(() -> {
            f.sourceBox().getSelectionModel().select(f.sourceBox().getItems().stream()
                    .filter(s -> s.label().contains("MainThread")).findFirst().orElseThrow());
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> !f.loadingProperty().get() && f.tree().totalWeight() == 1000));
        fx(() -> {
            long origin = view.timeline().spanStartRel();
            view.timeline().selectRange(origin, origin + 500 * SampledCapture.MS);
            f.restrictToRange(true);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> !f.loadingProperty().get() && f.tree().totalWeight() == 500));
        assertEquals(200, fx(() -> f.tree().find("forward").total()), "40 % of the first 500 ms");
    }

    @Test
    void aCaptureWithoutSamplesSaysHowToGetThem(FxRobot robot) throws Exception {
        CaptureView view = open(window, WorkbenchUiTest.corpus(WorkbenchUiTest.TRACE));
        fx(() -> {
            view.showView("Flame");
            return null;
        });
        FlameGraphView f = view.flame();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> !f.loadingProperty().get()));
        assertTrue(fx(() -> f.emptyLabel().isVisible()));
        String text = fx(() -> f.emptyLabel().getText());
        assertTrue(text.startsWith("No CPU samples in this capture: record with --sample-hz"), text);
        assertSame(null, fx(f::tree));
    }
}
