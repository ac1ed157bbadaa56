package dev.throughline.app.ui;

import dev.throughline.storage.importer.TraceImporters;
import dev.throughline.storage.importer.ImportProgress;
import javafx.scene.Node;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench on a real capture (the resnet50 Kineto trace of the shared corpus), headless on Monocle:
 * findings cards, timeline zoom and selection, the SQL console's refusal of writes, and an error dialog
 * for a corrupt file after which the window keeps working.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchUiTest {
    static final String TRACE = "kineto/kineto__resnet50_num_workers_4_worker0.1623212756351.pt.trace.json.gz";
    static Path dir;
    static Path capture;

    MainWindow window;

    @BeforeAll
    static void importCapture() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-ui-test-");
        capture = dir.resolve("resnet.tlcap");
        TraceImporters.importToCapture(corpus(TRACE), capture, false, ImportProgress.NONE);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        UiTests.deleteTree(dir);
    }

    static Path corpus(String relative) {
        String root = System.getProperty("throughline.corpus");
        assertNotNull(root, "system property throughline.corpus is not set (run through Maven)");
        Path p = Path.of(root, relative);
        assertTrue(Files.isRegularFile(p), "corpus file missing: " + p + " (the corpus lives in ../shared/corpus)");
        return p;
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private CaptureView openCapture(Path file) throws Exception {
        // counted before the open: a small capture can be open (its tab added) by the time a second FX call runs
        int tabs = fx(() -> window.captures().getTabs().size());
        fx(() -> {
            window.open(file);
            return null;
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> !window.busy()));
        String error = fx(() -> window.lastErrorProperty().get());
        assertTrue(error == null || fx(() -> window.captures().getTabs().size()) > tabs, "open failed: " + error);
        return fx(window::selectedView);
    }

    private TimelineView showTimeline(FxRobot robot, CaptureView view) throws Exception {
        fx(() -> {
            view.showView("Timeline");
            return null;
        });
        TimelineView t = view.timeline();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> !t.loadingProperty().get() && !t.drawn().isEmpty()));
        return t;
    }

    @Test
    void openingACaptureShowsItsFindingsFirst(FxRobot robot) throws Exception {
        CaptureView view = openCapture(capture);
        List<Node> cards = List.copyOf(robot.lookup(".finding-card").queryAll());
        // resnet50: GPU idle, launch-bound, host-bound and pageable copies (GpuRulesTest says why each fires)
        assertEquals(4, cards.size(), "one card per finding");
        String texts = fx(() -> {
            StringBuilder sb = new StringBuilder();
            for (Node n : robot.from(cards).lookup(".label").queryAll()) {
                sb.append(((Label) n).getText()).append('\n');
            }
            return sb.toString();
        });
        assertTrue(texts.contains("GPU 0 idle 23 %"), texts);
        assertTrue(texts.contains("Host-bound steps"), texts);
        assertTrue(texts.contains("Launch-bound"), texts);
        assertTrue(texts.contains("Pageable copies"), texts);
        assertTrue(texts.contains("What-if: mean step 141.1 ms → 103.6 ms"), texts);
        String status = fx(() -> ((Label) robot.lookup("#status").query()).getText());
        assertEquals("8,868 kernels · 6 steps · 0 lost · span 847.0 ms", status);
        assertEquals(List.of("Overview", "Timeline", "Flame", "Kernels", "CPU ops", "Steps", "SQL", "Compare"),
                fx(() -> view.getTabs().stream().map(javafx.scene.control.Tab::getText).toList()), "a training capture's views");
        assertTrue(fx(() -> view.kernels().table().getItems().size()) > 10 || waitRows(view));
    }

    private static boolean waitRows(CaptureView view) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> view.kernels().table().getItems().size() > 10));
        return true;
    }

    @Test
    void wheelAndKeysZoomTheTimeline(FxRobot robot) throws Exception {
        TimelineView t = showTimeline(robot, openCapture(capture));
        TimelineView.Range before = fx(() -> t.visibleRangeProperty().get());
        double x = fx(() -> t.canvas().getWidth() * 0.6);
        Point2D cursor = fx(() -> t.canvas().localToScreen(x, 120));
        robot.clickOn(cursor);
        WaitForAsyncUtils.waitForFxEvents();
        robot.type(KeyCode.W);
        WaitForAsyncUtils.waitForFxEvents();
        TimelineView.Range keyed = fx(() -> t.visibleRangeProperty().get());
        assertTrue(keyed.width() < before.width() * 0.9, "W zooms in: " + before + " → " + keyed);

        double timeAtCursor = timeAt(t, keyed, x);
        robot.moveTo(cursor).scroll(2, VerticalDirection.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        TimelineView.Range wheeled = fx(() -> t.visibleRangeProperty().get());
        assertTrue(Math.abs(wheeled.width() - keyed.width()) > keyed.width() * 0.2, "wheel zooms: " + keyed + " → " + wheeled);
        assertEquals(timeAtCursor, timeAt(t, wheeled, x), keyed.width() * 0.01, "the time under the cursor stays put");

        robot.type(KeyCode.D);
        WaitForAsyncUtils.waitForFxEvents();
        TimelineView.Range panned = fx(() -> t.visibleRangeProperty().get());
        assertEquals(wheeled.width(), panned.width(), 1);
        assertTrue(panned.startNs() > wheeled.startNs(), "D pans right: " + wheeled + " → " + panned);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> !t.loadingProperty().get()));
    }

    private static double timeAt(TimelineView t, TimelineView.Range r, double x) throws Exception {
        double w = fx(() -> t.canvas().getWidth()) - TimelineView.LABEL_W;
        return r.startNs() + (x - TimelineView.LABEL_W) / w * r.width();
    }

    @Test
    void clickingASliceShowsItsDetails(FxRobot robot) throws Exception {
        TimelineView t = showTimeline(robot, openCapture(capture));
        TimelineView.Drawn target = fx(() -> t.drawn().stream()
                .filter(d -> d.box().merged() == 1 && d.w() > 12 && d.y() > TimelineView.RULER_H && d.y() < 500)
                .findFirst().orElseThrow());
        Point2D p = fx(() -> t.canvas().localToScreen(target.x() + target.w() / 2, target.y() + target.h() / 2));
        robot.clickOn(p);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> t.selectedProperty().get() != null));
        assertEquals(target.box().id(), fx(() -> t.selectedProperty().get().id()));
        assertEquals(target.box().name(), fx(() -> t.details().shownName()));
    }

    @Test
    void sqlWritesAreRefusedAndSelectsShowRows(FxRobot robot) throws Exception {
        CaptureView view = openCapture(capture);
        SqlConsole sql = view.sql();
        fx(() -> {
            view.showView("SQL");
            sql.editor().setText("SELECT COUNT(*) AS n FROM slice");
            sql.run();
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> sql.status().getText().contains("row")));
        assertEquals(41_906L, ((Number) fx(() -> sql.results().getItems().get(0).get(0))).longValue());
        fx(() -> {
            sql.editor().setText("DELETE FROM slice");
            return null;
        });
        robot.clickOn("#sql-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> sql.status().getText().startsWith("Refused")));
        String msg = fx(() -> sql.status().getText());
        assertTrue(msg.contains("read-only") && msg.contains("DELETE"), msg);
    }

    @Test
    void aCorruptFileShowsAnErrorDialogAndTheAppKeepsRunning(FxRobot robot) throws Exception {
        Path bad = dir.resolve("corrupt.json.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'n', 'o', 't', ' ', 'g', 'z'});
        fx(() -> {
            window.open(bad);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> window.lastErrorProperty().get() != null));
        String error = fx(() -> window.lastErrorProperty().get());
        assertTrue(error.startsWith(bad.toString() + ": not valid gzip data"), error);
        DialogPane pane = fx(() -> window.errorDialog().getDialogPane());
        assertTrue(fx(() -> pane.getScene().getWindow().isShowing()));
        assertEquals(error, fx(() -> ((Label) pane.lookup("#error-message")).getText()));
        assertFalse(fx(() -> robot.listWindows().stream().map(Window::getScene).anyMatch(s ->
                s.getRoot().lookupAll(".label").stream().anyMatch(n -> ((Label) n).getText().contains("Exception")))));
        fx(() -> {
            window.errorDialog().close();
            return null;
        });
        CaptureView view = openCapture(capture);
        assertNotNull(view);
        assertEquals(1, fx(() -> window.captures().getTabs().size()));
    }

    @Test
    void aTraceIsImportedOnOpen(FxRobot robot) throws Exception {
        CaptureView view = openCapture(corpus("kineto/hta__critical_path_simple_add_benchmark_result_493459_1694039959_trace.json.gz"));
        assertTrue(fx(() -> view.session().source().getFileName().toString().endsWith(".json.gz")));
        assertTrue(fx(() -> view.statusLine()).contains("kernels"));
    }
}
