package dev.throughline.app.ui;

import dev.throughline.storage.Category;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Compare tab on two written captures of the same job: 100 ms steps with a 40 ms forward, then 80 ms with 20 ms. */
@ExtendWith(ApplicationExtension.class)
class CompareViewUiTest {
    static Path dir;
    static Path before;
    static Path after;
    MainWindow window;

    @BeforeAll
    static void write() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-compare-test-");
        before = SampledCapture.write(dir.resolve("before.tlcap"), 100, 40);
        after = SampledCapture.write(dir.resolve("after.tlcap"), 80, 20);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        UiTests.deleteTree(dir);
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    @Test
    void stepTimeCategoriesAndNamesAreComparedPerStep(FxRobot robot) throws Exception {
        FlameGraphUiTest.open(window, before);
        CaptureView view = FlameGraphUiTest.open(window, after);
        CompareView c = view.compare();
        fx(() -> {
            view.showView("Compare");
            return null;
        });
        robot.clickOn("#compare-baseline");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, fx(() -> c.baselineBox().getItems().size()), "the other open capture, not this one");
        fx(() -> {
            c.baselineBox().getSelectionModel().select(0);
            c.baselineBox().hide();
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> c.result() != null));
        CaptureComparison.Result r = fx(c::result);
        assertTrue(r.perStep());
        assertEquals("Mean step 100.0 ms → 80.00 ms (−20 %)", fx(() -> c.stepLine().getText()));
        CaptureComparison.Delta python = r.categories().stream().filter(d -> d.category() == Category.PYTHON).findFirst().orElseThrow();
        assertEquals(40 * MS, python.baselineNs(), 1);
        assertEquals(20 * MS, python.candidateNs(), 1);
        assertEquals(-0.5, python.change(), 1e-9);
        CaptureComparison.Delta wait = r.categories().stream().filter(d -> d.category() == Category.DATA_WAIT).findFirst().orElseThrow();
        assertEquals(0, wait.diffNs(), 1, "data_wait is 50 ms per step in both");
        assertEquals("forward", r.names().get(0).name(), "the name that changed most");
        assertTrue(r.names().stream().noneMatch(d -> d.category() == Category.STEP), "step names are compared by the step line");
        Object[] first = fx(() -> c.namesTable().table().getItems().get(0));
        assertEquals("forward", first[0]);
        assertEquals(-20 * MS, ((Number) first[4]).longValue(), 1, "Δ per step");
        assertEquals("−50 %", first[5]);
    }

    @Test
    void changesAreSignedAndNewNamesSaySo() {
        assertEquals("+12 %", CompareView.change(0.12));
        assertEquals("−33 %", CompareView.change(-0.333));
        assertEquals("+2.5 %", CompareView.change(0.025));
        assertEquals("new", CompareView.change(Double.NaN));
        CaptureComparison.Side a = new CaptureComparison.Side("a", 1000, 0, 0, java.util.Map.of(Category.KERNEL, 500L),
                java.util.Map.of());
        CaptureComparison.Side b = new CaptureComparison.Side("b", 2000, 0, 0,
                java.util.Map.of(Category.KERNEL, 600L, Category.MEMCPY, 50L), java.util.Map.of());
        CaptureComparison.Result r = CaptureComparison.compare(a, b, 10);
        assertTrue(!r.perStep(), "without steps on both sides the totals are compared");
        assertEquals(600, r.categories().get(0).candidateNs());
        assertTrue(Double.isNaN(r.categories().get(1).change()), "memcpy is new");
    }
}
