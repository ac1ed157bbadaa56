package dev.throughline.app.ui;

import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import javafx.stage.Stage;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Overview's GPU utilization / memory chart on a capture with NVML counter tracks, as the NVML feed names them. */
@ExtendWith(ApplicationExtension.class)
class GpuCounterChartUiTest {
    static final long MS = 1_000_000L;
    static final long T0 = 5_000_000_000L;
    static Path dir;
    MainWindow window;

    @BeforeAll
    static void dir() throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        dir = Files.createTempDirectory("throughline-gpu-chart-test-");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        UiTests.deleteTree(dir);
    }

    @Start
    void start(Stage stage) {
        window = UiTests.showWindow(stage);
    }

    /** 2 s at 10 Hz: utilization 20 % then 90 % from 1 s; memory 1 GB growing 0.1 GB per reading. */
    static Path write(Path file) throws Exception {
        try (CaptureWriter w = CaptureWriter.create(file, true)) {
            int train = w.process(100, "train.py");
            int main = w.thread(train, 100, "MainThread");
            int mainTrack = w.track(TrackKind.THREAD, train, main, null, null, null);
            int probe = w.process(200, "gpu-probe");
            int util = w.track(TrackKind.COUNTER, probe, null, 0, null, "gpu0 utilization %");
            int memUtil = w.track(TrackKind.COUNTER, probe, null, 0, null, "gpu0 memory utilization %");
            int mem = w.track(TrackKind.COUNTER, probe, null, 0, null, "gpu0 memory used bytes");
            int perProcess = w.track(TrackKind.COUNTER, probe, null, 0, null, "gpu0 pid 100 memory bytes");
            int cpu = w.track(TrackKind.COUNTER, train, null, null, null, "cpu_percent");
            for (int i = 0; i < 20; i++) {
                long ts = T0 + i * 100 * MS;
                w.counter(util, ts, i < 10 ? 20 : 90);
                w.counter(memUtil, ts, 50);
                w.counter(mem, ts, 1e9 + i * 1e8);
                w.counter(perProcess, ts, 5e8);
                w.counter(cpu, ts, 100);
                w.slice(mainTrack, ts, 90 * MS, w.string("ProfilerStep#" + i), Category.STEP, 0, -1, -1, 0);
            }
        }
        return file;
    }

    @Test
    void utilizationAndMemoryAreDrawnOverTime(FxRobot robot) throws Exception {
        CaptureView view = FlameGraphUiTest.open(window, write(dir.resolve("gpu.tlcap")));
        OverviewPane o = view.overview();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> o.gpuChart() != null));
        assertTrue(robot.lookup("#gpu-counter-chart").tryQuery().isPresent(), "the chart is in the overview");
        XYPlot plot = fx(() -> o.gpuChart().getXYPlot());
        XYDataset util = plot.getDataset(0);
        XYDataset mem = plot.getDataset(1);
        assertEquals(1, util.getSeriesCount(), "the memory utilization, per-process and CPU counters are left out");
        assertEquals("gpu0 utilization %", util.getSeriesKey(0));
        assertEquals(20, util.getItemCount(0));
        assertEquals(0.0, util.getXValue(0, 0), 1e-9, "seconds from the capture's start");
        assertEquals(20.0, util.getYValue(0, 0), 1e-9);
        assertEquals(1.0, util.getXValue(0, 10), 1e-9);
        assertEquals(90.0, util.getYValue(0, 10), 1e-9);
        assertEquals(1, mem.getSeriesCount());
        assertEquals("gpu0 memory used (GB)", mem.getSeriesKey(0));
        assertEquals(1.0, mem.getYValue(0, 0), 1e-9);
        assertEquals(2.9, mem.getYValue(0, 19), 1e-9);
        assertEquals("memory used (GB)", plot.getRangeAxis(1).getLabel());
        assertEquals(1, plot.getRangeAxisIndex(plot.getRangeAxis(1)));
    }

    @Test
    void aCaptureWithoutNvmlCountersHasNoChart() throws Exception {
        CaptureView view = FlameGraphUiTest.open(window, SampledCapture.write(dir.resolve("cpu.tlcap")));
        Thread.sleep(500); // the counter read is asynchronous: give it time to (not) show the chart
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(fx(() -> view.overview().gpuChart()));
        assertFalse(fx(() -> view.overview().lookup("#gpu-counters").isVisible()));
    }

    @Test
    void counterNames() {
        assertTrue(GpuCounters.isUtilization("gpu0 utilization %"));
        assertTrue(GpuCounters.isUtilization("gpu12 utilization %"));
        assertFalse(GpuCounters.isUtilization("gpu0 memory utilization %"));
        assertTrue(GpuCounters.isMemoryUsed("gpu1 memory used bytes"));
        assertFalse(GpuCounters.isMemoryUsed("gpu0 pid 4242 memory bytes"));
        assertFalse(GpuCounters.isMemoryUsed("rss_bytes"));
    }
}
