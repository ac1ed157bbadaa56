package dev.throughline.app.ui;

import dev.throughline.app.analysis.LatencyHistogram;
import dev.throughline.app.analysis.RequestTail;
import dev.throughline.app.analysis.SlowRequests;
import dev.throughline.app.report.Units;
import dev.throughline.storage.model.LatencyRow;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Requests tab of a serving capture (one with request slices): latency percentiles per request name, the
 * selected name's latency histogram (summary_latency_bucket, log2 buckets on a log axis) with p50, p99 and p99.9
 * marked, the p99 tail's phase split against the mean request's as stacked bars (and the tail's GC overlap), and
 * the slowest requests with their phases. The numbers are the report's ({@link RequestTail}, summary_latency).
 */
final class RequestsView extends ScrollPane {
    /** How many of the slowest requests the table lists. */
    static final int SLOWEST = 1000;
    static final List<String> PARTS = List.of("queue", "batch_wait", "compute", "respond", "other");

    private final CaptureSession session;
    private final BooleanProperty dark;
    private final DataTable percentiles;
    private final DataTable slowest;
    private final VBox histogramBox = new VBox(6);
    private final VBox tailBox = new VBox(6);
    private final List<JFreeChart> charts = new ArrayList<>();
    private String shownName;
    private JFreeChart histogram;
    private JFreeChart tail;

    RequestsView(CaptureSession session, BooleanProperty dark) {
        this.session = session;
        this.dark = dark;
        getStyleClass().add("overview");
        setFitToWidth(true);
        List<LatencyRow> latencies = session.report().overview().latencies();

        percentiles = new DataTable("Latency per request name", List.of(
                new DataTable.Column("request", DataTable.Kind.TEXT, 300),
                new DataTable.Column("count", DataTable.Kind.COUNT, 80),
                new DataTable.Column("p50", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("p90", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("p99", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("p99.9", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("max", DataTable.Kind.DURATION_NS, 95)));
        percentiles.setId("request-percentiles");
        List<Object[]> rows = new ArrayList<>();
        for (LatencyRow l : latencies) {
            rows.add(new Object[] {l.name(), l.count(), l.p50Ns(), l.p90Ns(), l.p99Ns(), l.p999Ns(), l.maxNs()});
        }
        percentiles.setRows(rows);
        percentiles.setPlaceholder("No request slices in this capture: mark requests with throughline-api"
                + " (Throughline.request) or record a service with the JVM agent.");
        percentiles.table().setPrefHeight(Math.min(240, 60 + 30 * Math.max(1, rows.size())));
        percentiles.table().getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (row != null) {
                show((String) row[0]);
            }
        });

        slowest = new DataTable("Slowest requests", List.of(
                new DataTable.Column("request", DataTable.Kind.TEXT, 220),
                new DataTable.Column("id", DataTable.Kind.COUNT, 70),
                new DataTable.Column("start", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("latency", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("queue", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("batch_wait", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("compute", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("respond", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("other", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("GC overlap", DataTable.Kind.DURATION_NS, 95)));
        slowest.setId("slow-requests");
        slowest.setPlaceholder("Reading the requests…");
        slowest.table().setPrefHeight(360);

        HBox charts = new HBox(18, histogramBox, tailBox);
        HBox.setHgrow(histogramBox, Priority.ALWAYS);
        HBox.setHgrow(tailBox, Priority.ALWAYS);
        histogramBox.setPrefWidth(620);
        tailBox.setPrefWidth(520);
        VBox content = new VBox(18, percentiles, charts, slowest);
        content.setPadding(new Insets(18, 22, 22, 22));
        setContent(content);
        dark.addListener((obs, was, now) -> this.charts.forEach(c -> ChartStyle.apply(c, now)));

        if (!latencies.isEmpty()) {
            percentiles.table().getSelectionModel().select(0);
            loadSlowest();
        } else {
            slowest.setPlaceholder("No requests.");
        }
    }

    DataTable percentiles() {
        return percentiles;
    }

    DataTable slowest() {
        return slowest;
    }

    JFreeChart histogram() {
        return histogram;
    }

    JFreeChart tailChart() {
        return tail;
    }

    /** The request name the charts show. */
    String shownName() {
        return shownName;
    }

    private void loadSlowest() {
        session.query(() -> SlowRequests.load(session.reader(), SLOWEST)).whenComplete((list, e) -> Platform.runLater(() -> {
            if (e != null) {
                slowest.setPlaceholder("Could not read the requests: " + ErrorText.of(e));
                return;
            }
            List<Object[]> rows = new ArrayList<>(list.size());
            for (SlowRequests.Request r : list) {
                rows.add(new Object[] {r.name(), r.requestId(), r.startNs(), r.durNs(), r.queueNs(), r.batchWaitNs(),
                    r.computeNs(), r.respondNs(), r.otherNs(), r.gcNs()});
            }
            slowest.setRows(rows);
        }));
    }

    /** Shows one request name in the histogram and the tail chart. */
    void show(String name) {
        shownName = name;
        LatencyRow l = session.report().overview().latencies().stream().filter(x -> x.name().equals(name))
                .findFirst().orElse(null);
        RequestTail t = session.report().overview().requestTails().stream().filter(x -> x.name().equals(name))
                .findFirst().orElse(null);
        tailBox.getChildren().setAll(tailChart(name, t));
        session.query(() -> LatencyHistogram.load(session.reader(), name)).whenComplete((h, e) -> Platform.runLater(() -> {
            if (!name.equals(shownName)) {
                return; // another name was selected meanwhile
            }
            if (e != null) {
                histogramBox.getChildren().setAll(muted("Could not read the latency histogram: " + ErrorText.of(e)));
                return;
            }
            histogramBox.getChildren().setAll(histogramChart(h, l));
        }));
    }

    private VBox histogramChart(LatencyHistogram h, LatencyRow l) {
        Label title = new Label("Latency of " + h.name());
        title.getStyleClass().add("section-title");
        XYIntervalSeries series = new XYIntervalSeries("requests");
        for (LatencyHistogram.Bucket b : h.buckets()) {
            double lo = Math.max(b.lowerNs(), 1) / 1e6;
            double hi = b.upperNs() / 1e6;
            series.add(Math.sqrt(lo * hi), lo, hi, b.count(), 0, b.count());
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(series);
        JFreeChart chart = ChartFactory.createXYBarChart(null, "latency (ms, log scale)", false, "requests", data,
                PlotOrientation.VERTICAL, false, true, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("latency (ms, log scale)");
        x.setBase(10);
        x.setSmallestValue(1e-6);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0)); // one tick per power of ten: 0.1, 1, 10, 100 ms
        x.setMinorTickMarksVisible(true);
        plot.setDomainAxis(x);
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, Palette.awt(Palette.of(dev.throughline.storage.Category.REQUEST)));
        r.setDrawBarOutline(true);
        r.setSeriesOutlinePaint(0, java.awt.Color.WHITE);
        r.setDefaultToolTipGenerator((d, s, i) -> String.format("%s – %s: %,d requests",
                Units.duration(Math.round(data.getStartXValue(s, i) * 1e6)),
                Units.duration(Math.round(data.getEndXValue(s, i) * 1e6)), Math.round(d.getYValue(s, i))));
        if (l != null) {
            // on a log axis any two percentiles can sit within a label's width: each label has its own row
            mark(plot, "p50", l.p50Ns(), new java.awt.Color(0x00, 0x72, 0xB2), true, 4);
            mark(plot, "p99", l.p99Ns(), new java.awt.Color(0xD5, 0x5E, 0x00), false, 22);
            mark(plot, "p99.9", l.p999Ns(), new java.awt.Color(0xAA, 0x44, 0x99), false, 40);
        }
        ChartStyle.apply(chart, dark.get());
        charts.remove(histogram);
        histogram = chart;
        charts.add(chart);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("latency-histogram");
        viewer.setPrefSize(620, 300);
        viewer.setMinHeight(260);
        Label note = muted(String.format("%,d requests in log2 buckets (each bar: (2^(k−1), 2^k] ns)", h.total())
                + (l == null ? "" : " · p50 " + Units.duration(l.p50Ns()) + " · p99 " + Units.duration(l.p99Ns())
                + " · p99.9 " + Units.duration(l.p999Ns()) + " · max " + Units.duration(l.maxNs())));
        return new VBox(6, title, viewer, note);
    }

    private static void mark(XYPlot plot, String label, long ns, java.awt.Color color, boolean right, double top) {
        ValueMarker m = new ValueMarker(ns / 1e6, color, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        m.setLabel(label + " " + Units.duration(ns));
        m.setLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
        m.setLabelPaint(color);
        m.setLabelAnchor(right ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(right ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT);
        m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(top, 4, 4, 4));
        m.setLabelBackgroundColor(new java.awt.Color(0, 0, 0, 0));
        plot.addDomainMarker(m, Layer.FOREGROUND);
    }

    /** The tail's parts and the mean request's, per request, in ms. */
    static DefaultCategoryDataset tailDataset(RequestTail t) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String tailKey = "p99 tail (" + t.tailCount() + ")";
        String meanKey = "mean request";
        Map<String, Long> mean = new LinkedHashMap<>();
        long covered = 0;
        for (String p : PARTS.subList(0, 4)) {
            long v = t.phaseMeanNs().getOrDefault(p, 0L);
            mean.put(p, v);
            covered += v;
        }
        mean.put("other", Math.max(0, t.meanNs() - covered));
        for (String p : PARTS) {
            data.addValue(t.tailPhaseNs(p) / 1e6, p, tailKey);
            data.addValue(mean.get(p) / 1e6, p, meanKey);
            data.addValue(0, p, "GC overlap, tail");
        }
        data.addValue(0, "gc", tailKey);
        data.addValue(0, "gc", meanKey);
        data.addValue(t.tailGcOverlapMeanNs() / 1e6, "gc", "GC overlap, tail");
        return data;
    }

    private VBox tailChart(String name, RequestTail t) {
        Label title = new Label("Where the p99 tail's time goes");
        title.getStyleClass().add("section-title");
        if (t == null) {
            return new VBox(6, title, muted("No tail breakdown for " + name + "."));
        }
        DefaultCategoryDataset data = tailDataset(t);
        JFreeChart chart = ChartFactory.createStackedBarChart(null, null, "time per request (ms)", data,
                PlotOrientation.HORIZONTAL, true, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setMaximumBarWidth(0.28);
        for (int i = 0; i < data.getRowCount(); i++) {
            r.setSeriesPaint(i, Palette.awt(Palette.REQUEST_PHASES.get((String) data.getRowKey(i))));
        }
        r.setDefaultToolTipGenerator((d, row, col) -> String.format("%s · %s: %s", d.getColumnKey(col), d.getRowKey(row),
                Units.duration(Math.round(d.getValue(row, col).doubleValue() * 1e6))));
        ChartStyle.apply(chart, dark.get());
        charts.remove(tail);
        tail = chart;
        charts.add(chart);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("tail-chart");
        viewer.setPrefSize(520, 300);
        viewer.setMinHeight(260);
        StringBuilder split = new StringBuilder();
        for (String p : PARTS) {
            split.append(split.length() == 0 ? "" : " · ").append(p).append(' ')
                    .append(Units.duration(t.tailPhaseNs(p))).append(" (").append(Units.percent(t.tailShare(p))).append(')');
        }
        Label parts = muted(String.format("%d requests ≥ p99 %s, mean %s: %s · GC pauses overlap %s (%s)",
                t.tailCount(), Units.duration(t.p99Ns()), Units.duration(t.tailMeanNs()), split,
                Units.duration(t.tailGcOverlapMeanNs()), Units.percent(t.tailGcShare())));
        parts.setId("tail-split");
        parts.setWrapText(true);
        return new VBox(6, title, viewer, parts);
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        l.setWrapText(true);
        return l;
    }
}
