package dev.throughline.app.ui;

import dev.throughline.app.analysis.RequestTail;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.IntervalXYDataset;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.throughline.app.ui.ServingCapture.MS;
import static dev.throughline.app.ui.WorkbenchUiTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Requests tab on {@link ServingCapture}, whose figures are worked out by hand there. */
@ExtendWith(ApplicationExtension.class)
class RequestsViewUiTest {
    static Path dir;
    static Path serving;
    MainWindow window;

    @BeforeAll
    static void write() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-requests-test-");
        serving = ServingCapture.write(dir.resolve("serving.tlcap"));
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
    void theOverviewOfAServiceShowsItsRequestsInsteadOfEmptyStepAndGpuPanels() throws Exception {
        CaptureView view = FlameGraphUiTest.open(window, serving);
        javafx.scene.layout.VBox panel = fx(() -> (javafx.scene.layout.VBox) view.lookup("#requests-panel"));
        assertNotNull(panel, "a capture with requests and neither steps nor GPU work gets a requests panel");
        String text = fx(() -> panel.getChildren().stream().filter(n -> n instanceof javafx.scene.control.Label)
                .map(n -> ((javafx.scene.control.Label) n).getText()).reduce("", (a, b) -> a + "\n" + b));
        assertTrue(text.contains(ServingCapture.INFER + " · 200 requests · p50 " + dev.throughline.app.report.Units.duration(4_400_000L)
                + " · p90 " + dev.throughline.app.report.Units.duration(4_900_000L) + " · p99 "
                + dev.throughline.app.report.Units.duration(43_700_000L)), text);
        assertTrue(text.contains("the slowest 1 % ("), text);
        assertNull(fx(() -> view.lookup("#step-panel")), "no empty step panel");
        assertNull(fx(() -> view.lookup("#gpu-panel")), "no empty GPU panel");
        String facts = OverviewPane.factLine(view.session().report().overview());
        assertTrue(facts.matches(".* · 0 lost · [0-9,]+ requests · GPU: none .*") && !facts.contains("steps"), facts);
        assertEquals(List.of("Overview", "Timeline", "Flame", "Requests", "SQL", "Compare"),
                fx(() -> view.getTabs().stream().map(javafx.scene.control.Tab::getText).toList()),
                "no empty Kernels, CPU ops or Steps tab for a service");
    }

    @Test
    void percentilesHistogramTailAndSlowestRequests(FxRobot robot) throws Exception {
        CaptureView view = FlameGraphUiTest.open(window, serving);
        RequestsView rv = view.requests();
        assertNotNull(rv, "a capture with request slices has a Requests tab");
        fx(() -> {
            view.showView("Requests");
            return null;
        });

        // percentiles per name: the worked-out figures, as raw numbers in the TSV
        List<Object[]> rows = fx(() -> new ArrayList<>(rv.percentiles().table().getItems()));
        Object[] infer = rows.stream().filter(r -> r[0].equals(ServingCapture.INFER)).findFirst().orElseThrow();
        assertEquals(200L, ((Number) infer[1]).longValue());
        assertEquals(4_400_000L, infer[2], "p50: the 100th");
        assertEquals(4_900_000L, infer[3], "p90: the 180th");
        assertEquals(43_700_000L, infer[4], "p99: the 198th");
        assertEquals(43_700_000L, infer[5], "p99.9");
        assertEquals(43_700_000L, infer[6], "max");
        Object[] health = rows.stream().filter(r -> r[0].equals(ServingCapture.HEALTH)).findFirst().orElseThrow();
        assertEquals(MS, health[2]);
        assertTrue(fx(() -> rv.percentiles().tsv()).contains("POST /infer\t200\t4400000\t4900000\t43700000"),
                fx(() -> rv.percentiles().tsv()));

        // the histogram of the shown name: its buckets and the p50 / p99 / p99.9 markers
        fx(() -> {
            rv.percentiles().table().getSelectionModel().select(infer);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> ServingCapture.INFER.equals(rv.shownName())
                && rv.histogram() != null && ((XYPlot) rv.histogram().getPlot()).getDataset().getItemCount(0) == 3));
        XYPlot plot = fx(() -> (XYPlot) rv.histogram().getPlot());
        IntervalXYDataset bars = (IntervalXYDataset) plot.getDataset();
        assertEquals(40, bars.getYValue(0, 0), 0);
        assertEquals(156, bars.getYValue(0, 1), 0);
        assertEquals(4, bars.getYValue(0, 2), 0);
        assertEquals((1L << 25) / 1e6, bars.getStartXValue(0, 2), 1e-9, "the bucket (2^25, 2^26] ns, in ms");
        assertEquals((1L << 26) / 1e6, bars.getEndXValue(0, 2), 1e-9);
        List<String> markers = new ArrayList<>();
        for (Object m : plot.getDomainMarkers(Layer.FOREGROUND)) {
            ValueMarker v = (ValueMarker) m;
            markers.add(v.getLabel() + "@" + v.getValue());
        }
        assertEquals(List.of("p50 4.400 ms@4.4", "p99 43.70 ms@43.7", "p99.9 43.70 ms@43.7"), markers);

        // the p99 tail's split: queue 40, batch_wait 0.5, compute 2.7, respond 0.5, other 0; GC 2.5 ms per request
        CategoryDataset tail = fx(() -> rv.tailChart().getCategoryPlot().getDataset());
        String tailKey = "p99 tail (4)";
        assertEquals(40.0, tail.getValue("queue", tailKey).doubleValue(), 1e-9);
        assertEquals(0.5, tail.getValue("batch_wait", tailKey).doubleValue(), 1e-9);
        assertEquals(2.7, tail.getValue("compute", tailKey).doubleValue(), 1e-9);
        assertEquals(0.5, tail.getValue("respond", tailKey).doubleValue(), 1e-9);
        assertEquals(0.0, tail.getValue("other", tailKey).doubleValue(), 1e-9);
        assertEquals(2.5, tail.getValue("gc", "GC overlap, tail").doubleValue(), 1e-9);
        assertEquals(1.78, tail.getValue("queue", "mean request").doubleValue(), 1e-9, "(196 × 1 + 4 × 40) / 200");
        // the tab's content joins the scene when first shown: its scroll pane's content is in the scene graph only
        // after a layout pass
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#tail-split").tryQuery().isPresent());
        String split = robot.lookup("#tail-split").queryLabeled().getText();
        assertTrue(split.startsWith("4 requests ≥ p99 43.70 ms, mean 43.70 ms: queue 40.00 ms (92 %)"), split);
        assertTrue(split.endsWith("GC pauses overlap 2.500 ms (5.7 %)"), split);

        // the slowest requests: sorted by latency, filterable, with their phases and GC overlap
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> rv.slowest().table().getItems().size() == 250));
        Object[] first = fx(() -> rv.slowest().table().getItems().get(0));
        assertEquals(43_700_000L, first[3]);
        Object[] withGc = fx(() -> rv.slowest().table().getItems().stream()
                .filter(r -> ((Number) r[1]).longValue() == 158).findFirst().orElseThrow());
        assertEquals(40 * MS, withGc[4], "queue");
        assertEquals(0L, withGc[8], "other");
        assertEquals(10 * MS, withGc[9], "GC overlap");
        fx(() -> {
            rv.slowest().filterField().setText("health");
            return null;
        });
        assertEquals(50, (int) fx(() -> rv.slowest().table().getItems().size()));

        // another name: the charts follow the selection
        fx(() -> {
            rv.percentiles().table().getSelectionModel().select(health);
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> ServingCapture.HEALTH.equals(rv.shownName())
                && ((XYPlot) rv.histogram().getPlot()).getDataset().getItemCount(0) == 1));
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void aCaptureWithoutRequestsHasNoRequestsTab() throws Exception {
        Path plain = SampledCapture.write(dir.resolve("train.tlcap"), 100, 40);
        CaptureView view = FlameGraphUiTest.open(window, plain);
        assertNull(view.requests());
        assertTrue(fx(() -> view.getTabs().stream().noneMatch(t -> t.getText().equals("Requests"))));
    }

    @Test
    void theTailDatasetAddsOtherToTheMeanRequest() {
        RequestTail t = new RequestTail("r", 10, 10 * MS, 8 * MS, 30 * MS, 1, 30 * MS,
                java.util.Map.of("queue", 20 * MS, "compute", 5 * MS, "other", 5 * MS), 0,
                java.util.Map.of("queue", 2 * MS, "compute", 5 * MS), 0, 0, 0, 0);
        CategoryDataset d = RequestsView.tailDataset(t);
        assertEquals(3.0, d.getValue("other", "mean request").doubleValue(), 1e-9, "10 − 2 − 5 ms");
        assertEquals(5.0, d.getValue("other", "p99 tail (1)").doubleValue(), 1e-9);
    }
}
