package dev.throughline.app.ui;

import dev.throughline.storage.Category;
import dev.throughline.storage.CaptureReader;
import javafx.scene.control.Hyperlink;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.throughline.app.ui.WorkbenchUiTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Launch ⇄ kernel on the bundled ResNet-50 sample (a real Kineto trace): a selected cudaLaunchKernel lists the
 * kernel of its correlation id, the link goes there and selects it, and the way back lists the launch.
 */
@ExtendWith(ApplicationExtension.class)
class LinkedSlicesUiTest {
    static final Path SAMPLE = Path.of("..", "samples", "resnet50-sample.tlcap").toAbsolutePath().normalize();
    MainWindow window;

    @BeforeAll
    static void noPrefs() {
        System.setProperty("throughline.ui.noPrefs", "true");
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    @Test
    void aLaunchLinksToItsKernelAndBack(FxRobot robot) throws Exception {
        // a launch with a kernel of the same correlation id, from the capture itself
        long launchId;
        long kernelId;
        try (CaptureReader c = CaptureReader.open(SAMPLE)) {
            List<Object> row = c.query("SELECT l.id, k.id FROM slice l JOIN slice k ON k.correlation_id = l.correlation_id"
                    + " WHERE l.category = " + Category.CUDA_API.id + " AND k.category = " + Category.KERNEL.id
                    + " AND l.name_id IN (SELECT id FROM string WHERE value = 'cudaLaunchKernel') ORDER BY l.start_ns LIMIT 1", 1)
                    .rows().get(0);
            launchId = ((Number) row.get(0)).longValue();
            kernelId = ((Number) row.get(1)).longValue();
        }
        TimelineView t = TimelineUiTest.showTimeline(FlameGraphUiTest.open(window, SAMPLE));
        SliceSearch.Match launch = t.session().query(() -> LinkedSlices.of(t.session(), kernelId))
                .get(10, TimeUnit.SECONDS).get(0);
        assertEquals(launchId, launch.id(), "the kernel's partner is its launch");
        fx(() -> {
            t.goTo(launch);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> !t.details().links().isEmpty()));
        List<SliceSearch.Match> links = fx(() -> t.details().links());
        assertEquals(kernelId, links.get(0).id(), "the launch lists its kernel: " + links);
        assertEquals(Category.KERNEL, links.get(0).category());

        Hyperlink go = fx(() -> (Hyperlink) t.details().linkedPane().getChildren().get(1));
        assertTrue(go.getText().startsWith("→ kernel: "), go.getText());
        robot.clickOn(go);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> t.selectedProperty().get() != null
                && t.selectedProperty().get().id() == kernelId));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> !t.details().links().isEmpty()));
        assertEquals(launchId, fx(() -> t.details().links().get(0).id()), "and back: the kernel lists its launch");
    }
}
