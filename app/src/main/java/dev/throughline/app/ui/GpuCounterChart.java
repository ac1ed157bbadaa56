package dev.throughline.app.ui;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * GPU utilization (%, left axis) and memory used (GB, right axis) over the capture, one line per device and counter.
 * Step lines: an NVML reading holds until the next one, as on the timeline's counter rows.
 */
final class GpuCounterChart {
    /** Utilization in the kernel blue, memory in the memcpy orange; a second device is drawn dashed. */
    private static final Color UTIL = Palette.awt(Palette.of(dev.throughline.storage.Category.KERNEL));
    private static final Color MEMORY = Palette.awt(Palette.of(dev.throughline.storage.Category.MEMCPY));

    private GpuCounterChart() {
    }

    static JFreeChart create(GpuCounters g) {
        XYSeriesCollection util = new XYSeriesCollection();
        for (GpuCounters.Series s : g.utilization()) {
            util.addSeries(series(s.name(), s, 1));
        }
        XYSeriesCollection mem = new XYSeriesCollection();
        for (GpuCounters.Series s : g.memory()) {
            mem.addSeries(series(s.name().replace(" bytes", " (GB)"), s, 1e-9));
        }
        NumberAxis time = new NumberAxis("time (s)");
        time.setAutoRangeIncludesZero(true);
        NumberAxis pct = new NumberAxis("utilization (%)");
        pct.setRange(0, 100);
        XYPlot plot = new XYPlot(util, time, pct, renderer(UTIL, g.utilization().size()));
        NumberAxis gb = new NumberAxis("memory used (GB)");
        gb.setAutoRangeIncludesZero(true);
        plot.setRangeAxis(1, gb);
        plot.setDataset(1, mem);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, renderer(MEMORY, g.memory().size()));
        return new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static XYSeries series(String name, GpuCounters.Series s, double scale) {
        XYSeries x = new XYSeries(name, true, true);
        for (int i = 0; i < s.ts().length; i++) {
            x.addOrUpdate(s.ts()[i] / 1e9, s.value()[i] * scale);
        }
        return x;
    }

    private static XYStepRenderer renderer(Color color, int series) {
        XYStepRenderer r = new XYStepRenderer();
        for (int i = 0; i < series; i++) {
            r.setSeriesPaint(i, i == 0 ? color : color.darker());
            r.setSeriesStroke(i, i == 0 ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        r.setDefaultToolTipGenerator((d, s, i) -> String.format("%s at %.2f s: %.1f", d.getSeriesKey(s),
                d.getXValue(s, i), d.getYValue(s, i)));
        return r;
    }
}
