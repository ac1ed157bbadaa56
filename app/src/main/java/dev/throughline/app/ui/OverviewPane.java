package dev.throughline.app.ui;

import dev.throughline.app.analysis.AgentNotes;
import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.StepStats;
import dev.throughline.app.analysis.WhatIf;
import dev.throughline.app.report.Report;
import dev.throughline.app.report.ReportText;
import dev.throughline.app.report.Units;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.GpuRow;
import dev.throughline.storage.model.LatencyRow;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.StepRow;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first view of a capture: findings first (what limits the job, by how much, what to change), then
 * the step-time breakdown per step, the GPU's busy/idle figures, and the capture's facts.
 */
final class OverviewPane extends ScrollPane {
    private final List<JFreeChart> charts = new ArrayList<>();
    private final VBox findingsBox = new VBox(10);
    private final VBox gpuCounters = new VBox(6);
    private JFreeChart gpuChart;

    /**
     * @param showEvidence called with the finding whose "show" the user pressed
     */
    OverviewPane(CaptureSession session, BooleanProperty dark, Consumer<Finding> showEvidence) {
        Report report = session.report();
        CaptureOverview o = report.overview();
        getStyleClass().add("overview");
        setFitToWidth(true);

        VBox content = new VBox(18);
        content.setPadding(new Insets(18, 22, 22, 22));
        content.getStyleClass().add("overview-content");

        Label title = new Label(session.title());
        title.getStyleClass().add("capture-title");
        VBox head = new VBox(2, title, mutedLine(factLine(o)));
        // what the recording cost the host, as its agent measured it, and what it left out (JFR) and why
        for (String cost : AgentNotes.costs(o.meta())) {
            head.getChildren().add(mutedLine("Agent cost: " + cost));
        }
        for (String jfr : AgentNotes.jfrOff(o.meta())) {
            head.getChildren().add(mutedLine("JFR: " + jfr));
        }
        content.getChildren().add(head);
        for (String w : report.warnings()) {
            Label warn = new Label("⚠ " + w);
            warn.getStyleClass().add("warning-banner");
            warn.setWrapText(true);
            content.getChildren().add(warn);
        }

        findingsBox.getStyleClass().add("findings");
        findingsBox.setId("findings");
        Label ft = new Label("Findings");
        ft.getStyleClass().add("section-title");
        findingsBox.getChildren().add(ft);
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.sort((a, b) -> Integer.compare(b.score(), a.score()));
        if (findings.isEmpty()) {
            Label none = new Label("No rule fired: nothing in this capture points at an input, host or GPU-idle"
                    + " bottleneck. Check the step breakdown below and the timeline.");
            none.getStyleClass().add("empty-state");
            none.setWrapText(true);
            findingsBox.getChildren().add(none);
        }
        for (Finding f : findings) {
            findingsBox.getChildren().add(card(f, showEvidence));
        }
        content.getChildren().add(findingsBox);

        if (o.steps().isEmpty() && o.gpus().isEmpty() && !o.latencies().isEmpty()) {
            content.getChildren().add(requestsPanel(o)); // a service: its requests, not empty step and GPU panels
        } else {
            HBox charts = new HBox(18, stepChart(o, dark), gpuPanel(o));
            HBox.setHgrow(charts.getChildren().get(0), Priority.ALWAYS);
            content.getChildren().add(charts);
        }
        gpuCounters.setId("gpu-counters");
        gpuCounters.setVisible(false);
        gpuCounters.setManaged(false); // shown once the capture turns out to have NVML counters
        content.getChildren().add(gpuCounters);
        loadGpuCounters(session, o, dark);
        content.getChildren().add(factsGrid(session, o));
        setContent(content);

        dark.addListener((obs, was, now) -> this.charts.forEach(c -> ChartStyle.apply(c, now)));
    }

    /** The GPU utilization / memory chart, or null while it is read or when the capture has no NVML counters. */
    JFreeChart gpuChart() {
        return gpuChart;
    }

    private void loadGpuCounters(CaptureSession session, CaptureOverview o, BooleanProperty dark) {
        session.query(() -> GpuCounters.load(session, o.spanNs(), 1200)).whenComplete((g, e) ->
                javafx.application.Platform.runLater(() -> {
                    if (e != null || g.isEmpty()) {
                        return; // no NVML counters (CPU-only, imported trace): the GPU panel above says why
                    }
                    gpuChart = GpuCounterChart.create(g);
                    ChartStyle.apply(gpuChart, dark.get());
                    charts.add(gpuChart);
                    Label title = new Label("GPU utilization and memory over time (NVML)");
                    title.getStyleClass().add("section-title");
                    ChartViewer viewer = new ChartViewer(gpuChart);
                    viewer.setId("gpu-counter-chart");
                    viewer.setPrefSize(900, 240);
                    viewer.setMinHeight(220);
                    gpuCounters.getChildren().setAll(title, viewer);
                    gpuCounters.setVisible(true);
                    gpuCounters.setManaged(true);
                }));
    }

    static String factLine(CaptureOverview o) {
        long events = o.eventCounts().values().stream().mapToLong(Long::longValue).sum();
        // a service's capture counts requests, not (zero) steps
        String work = o.stepStats().count() == 0 && o.requestCount() > 0 ? String.format("%,d requests", o.requestCount())
                : o.stepStats().count() + " steps";
        return String.format("span %s · %,d events · %,d lost · %s · %s", Units.duration(o.spanNs()), events,
                o.lostEvents(), work, gpuFact(o));
    }

    private static String gpuFact(CaptureOverview o) {
        if (o.gpus().isEmpty()) {
            return o.kernelCount() == 0 ? "GPU: none (no kernel, memcpy or memset in the capture)"
                    : "GPU: unavailable (GPU rows without a device window)";
        }
        String name = gpuName(o.meta());
        return "GPU: " + o.gpus().size() + (name == null ? " device" + (o.gpus().size() == 1 ? "" : "s") : " × " + name);
    }

    private static final Pattern DEVICE_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    static String gpuName(Map<String, String> meta) {
        String props = meta.get("trace.deviceProperties");
        if (props == null) {
            return null;
        }
        Matcher m = DEVICE_NAME.matcher(props);
        return m.find() ? m.group(1) : null;
    }

    private static Region card(Finding f, Consumer<Finding> showEvidence) {
        String sev = f.severity().name().toLowerCase(Locale.ROOT);
        Label badge = new Label((switch (f.severity()) {
            case HIGH -> "▲ ";
            case MODERATE -> "● ";
            case LOW -> "○ ";
        }) + f.severity().name());
        badge.getStyleClass().addAll("severity-badge", "severity-" + sev);
        badge.setMinWidth(Region.USE_PREF_SIZE);
        Tooltip.install(badge, new Tooltip("Severity from the rule's score: " + f.score() + " / 100 (rule " + f.rule() + ")"));

        Label claim = new Label(f.message());
        claim.getStyleClass().add("finding-claim");
        claim.setWrapText(true);
        Label evidence = new Label("Evidence: " + f.evidence());
        evidence.getStyleClass().add("finding-evidence");
        evidence.setWrapText(true);
        VBox text = new VBox(4, claim, evidence);
        WhatIf w = f.whatIf();
        if (w != null) {
            Label whatIf = new Label(String.format("What-if: %s %s → %s  (−%s)", metricName(w.metric()),
                    Units.duration(w.currentNs()), Units.duration(w.predictedNs()), Units.percent(w.gain())));
            whatIf.getStyleClass().add("finding-whatif");
            whatIf.setWrapText(true);
            text.getChildren().add(whatIf);
        }
        Label rec = new Label("→ " + f.recommendation());
        rec.getStyleClass().add("finding-recommendation");
        rec.setWrapText(true);
        text.getChildren().add(rec);
        HBox.setHgrow(text, Priority.ALWAYS);

        Button show = new Button("show ▸");
        show.getStyleClass().add("link-button");
        show.setTooltip(new Tooltip("Jump to the evidence on the timeline"));
        show.setOnAction(e -> showEvidence.accept(f));
        show.setMinWidth(Region.USE_PREF_SIZE);

        HBox card = new HBox(14, badge, text, show);
        card.setAlignment(Pos.TOP_LEFT);
        card.getStyleClass().addAll("finding-card", "severity-" + sev);
        return card;
    }

    static String metricName(String metric) {
        return switch (metric) {
            case "step_mean_ns" -> "mean step";
            case "gpu_window_ns" -> "GPU window";
            default -> metric.replaceAll("_ns$", "").replace('_', ' ');
        };
    }

    private Region stepChart(CaptureOverview o, BooleanProperty dark) {
        VBox box = panel("Step time, stacked per step", "step-panel", 6);
        List<StepRow> steps = o.steps();
        if (steps.isEmpty()) {
            Label empty = new Label("No steps: the capture has no ProfilerStep#N spans, so there is no per-step"
                    + " breakdown. Record with torch.profiler's schedule (or mark steps) to get one.");
            empty.getStyleClass().add("empty-state");
            empty.setWrapText(true);
            box.getChildren().add(empty);
            return box;
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<StepBins.Bin> bins = StepBins.of(steps, OverviewPane::parts);
        boolean grouped = bins.size() < steps.size();
        if (grouped) {
            ((Label) box.getChildren().get(0)).setText(String.format(
                    "Step time, stacked: mean of each %,d consecutive steps (%,d steps)",
                    bins.get(0).steps(), steps.size()));
        }
        List<Integer> used = new ArrayList<>();
        for (int part = 0; part < StepStats.PART_NAMES.size(); part++) {
            double total = 0;
            for (StepBins.Bin b : bins) {
                total += b.meanPartNs()[part];
            }
            if (total > 0) {
                used.add(part);
            }
        }
        for (int part : used) {
            for (StepBins.Bin b : bins) {
                data.addValue(b.meanPartNs()[part] / 1e6, StepStats.PART_NAMES.get(part), b.label());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(null, "step", "time (ms)", data,
                PlotOrientation.VERTICAL, false, true, false); // legend: the chips below, with the mean of each part
        CategoryPlot plot = chart.getCategoryPlot();
        if (bins.size() > 40) {
            plot.getDomainAxis().setTickLabelsVisible(false); // they would overlap; the tooltips name the steps
        }
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setMaximumBarWidth(0.09);
        for (int i = 0; i < used.size(); i++) {
            r.setSeriesPaint(i, Palette.awt(Palette.STEP_PARTS.get(used.get(i))));
        }
        r.setDefaultToolTipGenerator((dataset, row, column) -> {
            double ms = dataset.getValue(row, column).doubleValue();
            double sum = 0;
            for (int i = 0; i < dataset.getRowCount(); i++) {
                Number v = dataset.getValue(i, column);
                sum += v == null ? 0 : v.doubleValue();
            }
            return String.format("%s %s · %s %s (%s of %s)", grouped ? "steps (mean)" : "step",
                    dataset.getColumnKey(column), dataset.getRowKey(row),
                    Units.duration(Math.round(ms * 1e6)), Units.percent(sum == 0 ? 0 : ms / sum),
                    Units.duration(Math.round(sum * 1e6)));
        });
        ChartStyle.apply(chart, dark.get());
        String cut = capOutliers(plot, bins);
        charts.add(chart);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setPrefSize(640, 300);
        viewer.setMinHeight(260);
        viewer.setId("step-chart");
        StepStats s = o.stepStats();
        Label stats = new Label(String.format("%d steps · mean %s · p50 %s · p95 %s · max %s · mean step by part:",
                s.count(), Units.duration(s.meanNs()), Units.duration(s.p50Ns()), Units.duration(s.p95Ns()),
                Units.duration(s.maxNs())));
        stats.getStyleClass().add("muted");
        box.getChildren().addAll(viewer, stats, meanBreakdown(s));
        if (cut != null) {
            box.getChildren().add(2, mutedLine(cut)); // under the chart
        }
        return box;
    }

    /**
     * Ends the time axis below outlier bars (a warm-up step would flatten the others), marks each cut bar with its
     * height, and returns the line that says so; null when no bar is an outlier.
     */
    private static String capOutliers(CategoryPlot plot, List<StepBins.Bin> bins) {
        double capNs = StepBins.axisCapNs(bins);
        if (Double.isNaN(capNs)) {
            return null;
        }
        plot.getRangeAxis().setRange(0, capNs / 1e6);
        List<String> cutBars = new ArrayList<>();
        for (StepBins.Bin b : bins) {
            if (b.totalNs() > capNs) {
                String height = Units.duration(Math.round(b.totalNs()));
                // written up the cut bar itself, white on its colours, reading from the bottom
                var mark = new org.jfree.chart.annotations.CategoryTextAnnotation("↑ " + height, b.label(), capNs / 1e6 * 0.98);
                mark.setCategoryAnchor(org.jfree.chart.axis.CategoryAnchor.MIDDLE);
                mark.setTextAnchor(org.jfree.chart.ui.TextAnchor.CENTER_RIGHT);
                mark.setRotationAnchor(org.jfree.chart.ui.TextAnchor.CENTER_RIGHT);
                mark.setRotationAngle(-Math.PI / 2);
                mark.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11));
                mark.setPaint(java.awt.Color.WHITE);
                plot.addAnnotation(mark);
                cutBars.add((b.steps() == 1 ? "step " : "steps ") + b.label() + " (" + height + ")");
            }
        }
        return "Scale cut at " + Units.duration(Math.round(capNs)) + " so the other steps stay readable: "
                + String.join(", ", cutBars.subList(0, Math.min(5, cutBars.size())))
                + (cutBars.size() > 5 ? " and " + (cutBars.size() - 5) + " more" : "") + " go above it.";
    }

    private static long[] parts(StepRow s) {
        return new long[] {s.kernelNs(), s.memcpyNs(), s.memsetNs(), s.communicationNs(), s.runtimeNs(), s.dataloaderNs(),
            s.cpuExecNs(), s.otherNs()};
    }

    /** The mean step split into its parts, as legend chips with the time and the share. */
    private static Region meanBreakdown(StepStats s) {
        FlowPane chips = new FlowPane(14, 4);
        long[] p = s.breakdown().parts();
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                continue;
            }
            Rectangle sw = new Rectangle(10, 10, Palette.STEP_PARTS.get(i));
            Label l = new Label(StepStats.PART_NAMES.get(i) + " " + Units.duration(p[i]) + " ("
                    + Units.percent(s.meanNs() == 0 ? 0 : p[i] / (double) s.meanNs()) + ")", sw);
            l.getStyleClass().add("chip");
            chips.getChildren().add(l);
        }
        return chips;
    }

    /** One of the overview's boxes: its title, then what the caller adds. */
    /** A wrapping line in the muted style. */
    private static Label mutedLine(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        l.setWrapText(true);
        return l;
    }

    private static VBox panel(String title, String id, double spacing) {
        Label t = new Label(title);
        t.getStyleClass().add("section-title");
        VBox box = new VBox(spacing, t);
        box.getStyleClass().add("panel");
        box.setId(id);
        return box;
    }

    /** A serving capture's requests: latency percentiles per name and where the slowest 1 % spend their time. */
    private static Region requestsPanel(CaptureOverview o) {
        VBox box = panel("Requests (server side, as the service's API marked them)", "requests-panel", 6);
        for (LatencyRow l : o.latencies()) {
            Label line = new Label(String.format("%s · %,d requests · %s", l.name(), l.count(), ReportText.percentiles(l)));
            box.getChildren().add(line);
            o.requestTails().stream().filter(r -> r.name().equals(l.name())).findFirst().ifPresent(r -> {
                box.getChildren().add(mutedLine(String.format("the slowest 1 %% (%,d, mean %s): %s; GC pauses overlap %s",
                        r.tailCount(), Units.duration(r.tailMeanNs()), r.tailPhaseShares(),
                        Units.percent(r.tailGcShare()))));
            });
        }
        Label more = new Label("The Requests tab has the latency histogram, the tail's phases and the slowest requests.");
        more.getStyleClass().add("muted");
        box.getChildren().add(more);
        return box;
    }

    private static Region gpuPanel(CaptureOverview o) {
        VBox box = panel("GPU busy / idle", "gpu-panel", 8);
        box.setPrefWidth(430);
        box.setMinWidth(400);
        String nvml = o.meta().get("gpu.nvml"); // what the NVML probe said while recording, if this is a recording
        if (o.gpus().isEmpty()) {
            String why = nvml != null && nvml.startsWith("unavailable")
                    ? "No GPU data: the recording ran without GPU counters — NVML " + nvml + "."
                    : o.kernelCount() == 0
                    ? "No GPU data: the capture has no kernel, memcpy or memset rows (a CPU-only run, or the"
                    + " profiler ran without CUDA activities)."
                    : "GPU: unavailable — GPU rows exist but no device window was computed.";
            Label empty = new Label(why);
            empty.getStyleClass().add("empty-state");
            empty.setWrapText(true);
            box.getChildren().add(empty);
            return box;
        }
        for (GpuRow g : o.gpus()) {
            double busy = g.totalNs() == 0 ? 0 : g.busyNs() / (double) g.totalNs();
            Label name = new Label("GPU " + g.device() + (gpuName(o.meta()) == null ? "" : " · " + gpuName(o.meta())));
            name.getStyleClass().add("strong");
            HBox bar = new HBox();
            bar.getStyleClass().add("busy-bar");
            Region b = new Region();
            b.getStyleClass().add("busy-part");
            b.setStyle("-fx-background-color: " + Palette.css(Palette.of(Category.KERNEL)) + ";");
            Region idle = new Region();
            idle.getStyleClass().add("idle-part");
            b.prefWidthProperty().bind(bar.widthProperty().multiply(busy));
            HBox.setHgrow(idle, Priority.ALWAYS);
            bar.getChildren().addAll(b, idle);
            bar.setPrefHeight(16);
            Tooltip.install(bar, new Tooltip(String.format("busy %,d ns of %,d ns", g.busyNs(), g.totalNs())));
            Label big = new Label(Units.percent(busy) + " busy · " + Units.percent(1 - busy) + " idle");
            big.getStyleClass().add("big-figure");
            GridPane grid = new GridPane();
            grid.setHgap(12);
            grid.setVgap(3);
            ColumnConstraints right = new ColumnConstraints();
            right.setHalignment(javafx.geometry.HPos.RIGHT);
            grid.getColumnConstraints().addAll(new ColumnConstraints(), right);
            int row = 0;
            row = fact(grid, row, "window (first to last GPU op)", Units.duration(g.totalNs()));
            row = fact(grid, row, "busy", Units.duration(g.busyNs()));
            row = fact(grid, row, "idle", Units.duration(g.idleNs()));
            row = fact(grid, row, "compute (kernels)", Units.duration(g.computeNs()));
            row = fact(grid, row, "non-compute (copies, sets)", Units.duration(g.nonComputeNs()));
            row = fact(grid, row, "exposed communication", Units.duration(g.exposedCommNs()));
            for (GpuRow h : o.gpusStepsWindow()) {
                if (h.device() == g.device()) {
                    row = fact(grid, row, "idle in the steps window (HTA)", Units.duration(h.idleNs()) + " / "
                            + Units.duration(h.totalNs()));
                }
            }
            box.getChildren().addAll(name, big, bar, grid);
        }
        Label util = new Label(nvml == null
                ? "GPU utilization and memory over time: no NVML counter samples in this capture (an imported trace"
                + " carries none)."
                : "GPU counters (NVML): " + nvml + ".");
        util.getStyleClass().add("muted");
        util.setWrapText(true);
        box.getChildren().add(util);
        return box;
    }

    private static int fact(GridPane grid, int row, String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add("muted");
        Label v = new Label(value);
        v.getStyleClass().add("number");
        grid.addRow(row, n, v);
        return row + 1;
    }

    private static Region factsGrid(CaptureSession session, CaptureOverview o) {
        Label t = new Label("Capture");
        t.getStyleClass().add("section-title");
        GridPane grid = new GridPane();
        grid.setHgap(16);
        grid.setVgap(4);
        Map<String, String> meta = o.meta();
        int row = 0;
        row = fact(grid, row, "source", meta.getOrDefault("source", session.source().toString()));
        row = fact(grid, row, "format", meta.getOrDefault("source_format", "capture"));
        row = fact(grid, row, "created", meta.getOrDefault("created_utc", "?"));
        row = fact(grid, row, "span", Units.duration(o.spanNs()));
        long events = o.eventCounts().values().stream().mapToLong(Long::longValue).sum();
        StringBuilder perCat = new StringBuilder();
        o.eventCounts().forEach((c, n) -> perCat.append(perCat.length() == 0 ? "" : " · ").append(c.label).append(' ')
                .append(String.format("%,d", n)));
        row = fact(grid, row, "events", String.format("%,d (%s)", events, perCat));
        String lost = o.loss().isEmpty() ? "0 — every event was imported"
                : String.format("%,d", o.lostEvents()) + " (" + String.join(", ",
                o.loss().stream().map(LossRow::kind).toList()) + ")";
        row = fact(grid, row, "lost events", lost);
        row = fact(grid, row, "GPU", gpuFact(o).substring(5));
        fact(grid, row, "schema", "v" + meta.getOrDefault("schema_version", "?") + " · written by throughline "
                + meta.getOrDefault("tool_version", "?"));
        for (var node : grid.getChildren()) {
            if (node instanceof Label l) {
                l.setWrapText(true);
            }
        }
        VBox box = new VBox(6, t, grid);
        box.getStyleClass().add("panel");
        return box;
    }
}
