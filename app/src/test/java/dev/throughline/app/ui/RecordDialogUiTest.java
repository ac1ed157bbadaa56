package dev.throughline.app.ui;

import dev.throughline.app.recording.LocalProcesses;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.throughline.app.ui.WorkbenchUiTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record dialog with real processes: a Python script with the agent (launched, stopped with Stop) and a child
 * JVM (attached for 2 s). The agents come from the project root, set as {@code throughline.home}.
 */
@ExtendWith(ApplicationExtension.class)
class RecordDialogUiTest {
    /** The project root (surefire runs in app/). */
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final String PYTHON = "/usr/bin/python3";
    static Path dir;
    static String savedHome;
    MainWindow window;
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        savedHome = System.getProperty("throughline.home");
        System.setProperty("throughline.home", HOME.toString());
        dir = Files.createTempDirectory("throughline-record-dialog-test-");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (savedHome == null) {
            System.clearProperty("throughline.home");
        } else {
            System.setProperty("throughline.home", savedHome);
        }
        UiTests.deleteTree(dir);
    }

    @AfterEach
    void stopChildren() throws Exception {
        fx(() -> {
            if (window.recordDialog() != null) {
                window.recordDialog().stage().close();
            }
            return null;
        });
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    /** With Ctrl+R, or the toolbar's Record button. */
    private RecordDialog openDialog(FxRobot robot, boolean shortcut) throws Exception {
        if (shortcut) {
            robot.press(KeyCode.CONTROL, KeyCode.R).release(KeyCode.R, KeyCode.CONTROL);
        } else {
            robot.clickOn("#record-button");
        }
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> window.recordDialog() != null
                && window.recordDialog().stage().isShowing()));
        return fx(window::recordDialog);
    }

    private static String live(RecordDialog d, String field) throws Exception {
        return fx(() -> ((Label) d.stage().getScene().lookup("#live-" + field)).getText());
    }

    @Test
    void launchACommandShowsLiveCountersAndStopOpensTheCapture(FxRobot robot) throws Exception {
        Path script = dir.resolve("steps.py");
        Files.writeString(script, """
                import time
                import throughline_agent as tl
                for i in range(100000):
                    with tl.span("work"):
                        time.sleep(0.02)
                    tl.step()
                """);
        Path out = dir.resolve("launched.tlcap");
        RecordDialog d = openDialog(robot, true);
        fx(() -> {
            var scene = d.stage().getScene();
            ((javafx.scene.control.TextField) scene.lookup("#record-command")).setText(PYTHON + " " + script);
            ((javafx.scene.control.TextField) scene.lookup("#record-output")).setText(out.toString());
            return null;
        });
        robot.clickOn("#record-start");
        // the counters move while the script runs: steps arrive, the last step's duration shows
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !live(d, "steps").equals("–")
                && Long.parseLong(live(d, "steps").replace(",", "")) >= 5);
        assertEquals("1", live(d, "processes"));
        String lastStep = live(d, "last-step");
        assertTrue(lastStep.matches("\\d+(\\.\\d+)? ms") && Double.parseDouble(lastStep.split(" ")[0]) >= 20,
                "20 ms of sleep per step, and some: " + lastStep);
        assertTrue(live(d, "elapsed").endsWith(" s"), live(d, "elapsed"));
        assertTrue(fx(d::recording));
        robot.clickOn("#record-stop");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> window.selectedView() != null && !window.busy()));
        CaptureView view = fx(window::selectedView);
        assertEquals(out.toAbsolutePath(), view.session().source().toAbsolutePath());
        assertTrue(view.session().report().overview().stepStats().count() >= 5,
                "the capture has the steps: " + view.session().report().overview().stepStats().count());
        assertFalse(fx(() -> d.stage().isShowing()), "the dialog closes when the capture opens");
        assertEquals(PYTHON + " " + script, view.session().report().overview().meta().get("record.command"));
    }

    @Test
    void attachToAChildJvmForTwoSeconds(FxRobot robot) throws Exception {
        Process target = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseG1GC", "-cp", Path.of("target", "test-classes").toAbsolutePath()
                + java.io.File.pathSeparator + HOME.resolve("profiler-agents/api/target/classes"),
                "dev.throughline.app.cli.ServiceTarget").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(target);
        String ready = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertNotNull(ready);
        long pid = Long.parseLong(ready.substring("ready ".length()).trim());
        Path out = dir.resolve("attached.tlcap");
        RecordDialog d = openDialog(robot, false);
        var table = fx(() -> (javafx.scene.control.TableView<LocalProcesses.Row>) d.stage().getScene().lookup("#record-processes"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            boolean listed = fx(() -> table.getItems().stream().anyMatch(r -> r.pid() == pid));
            if (!listed) {
                fx(() -> {
                    d.refresh();
                    return null;
                });
                Thread.sleep(500);
            }
            return listed;
        });
        fx(() -> {
            LocalProcesses.Row row = table.getItems().stream().filter(r -> r.pid() == pid).findFirst().orElseThrow();
            assertEquals("jvm", row.kind());
            table.getSelectionModel().select(row); // selecting a JVM picks "attach"
            var scene = d.stage().getScene();
            ((javafx.scene.control.Spinner<Integer>) scene.lookup("#record-seconds")).getValueFactory().setValue(2);
            ((javafx.scene.control.TextField) scene.lookup("#record-output")).setText(out.toString());
            return null;
        });
        assertTrue(fx(() -> ((javafx.scene.control.RadioButton) d.stage().getScene().lookup("#record-attach")).isSelected()));
        robot.clickOn("#record-start");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> live(d, "processes").equals("1"));
        // the agent stops itself after 2 s; the capture then opens, with the requests the target served
        WaitForAsyncUtils.waitFor(40, TimeUnit.SECONDS, () -> fx(() -> window.selectedView() != null && !window.busy()));
        CaptureView view = fx(window::selectedView);
        assertEquals(out.toAbsolutePath(), view.session().source().toAbsolutePath());
        assertEquals(Long.toString(pid), view.session().report().overview().meta().get("attach.pid"));
        assertTrue(view.requests() != null, "the target marks requests: the capture has a Requests tab");
        assertTrue(target.isAlive(), "the target keeps running after the agent stopped");
    }

    @Test
    void mistakesAreErrorDialogsWithAClearMessage(FxRobot robot) throws Exception {
        Path existing = Files.writeString(dir.resolve("exists.tlcap"), "x");
        RecordDialog d = openDialog(robot, false);
        fx(() -> {
            var scene = d.stage().getScene();
            ((javafx.scene.control.TextField) scene.lookup("#record-command")).setText("/no/such/program --flag");
            ((javafx.scene.control.TextField) scene.lookup("#record-output")).setText(existing.toString());
            return null;
        });
        robot.clickOn("#record-start");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(d::lastError) != null);
        assertEquals(existing.toAbsolutePath() + " already exists: tick \"overwrite\" or choose another name", fx(d::lastError));
        robot.type(KeyCode.ENTER); // closes the error dialog
        fx(() -> {
            ((javafx.scene.control.TextField) d.stage().getScene().lookup("#record-output"))
                    .setText(dir.resolve("never.tlcap").toString());
            return null;
        });
        robot.clickOn("#record-start");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(d::lastError).startsWith("cannot run"));
        assertTrue(fx(d::lastError).startsWith("cannot run /no/such/program: "), fx(d::lastError));
        assertFalse(fx(d::lastError).contains("Exception"), "no exception class names: " + fx(d::lastError));
        assertFalse(fx(d::recording));
        assertFalse(Files.exists(dir.resolve("never.tlcap")), "the aborted capture is removed");
    }
}
