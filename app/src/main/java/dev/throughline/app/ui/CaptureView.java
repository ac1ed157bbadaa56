package dev.throughline.app.ui;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.report.Units;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.NameTotal;
import dev.throughline.storage.model.StepRow;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

import java.util.ArrayList;
import java.util.List;

/**
 * The views of one open capture, as tabs: Overview, Timeline, Flame, Kernels, CPU ops and Steps (each only when the
 * capture has such rows), Requests (captures with requests only), SQL, Compare.
 */
final class CaptureView extends TabPane {
    private final CaptureSession session;
    private final Tab overviewTab;
    private final Tab timelineTab;
    private final Tab flameTab;
    private final Tab kernelsTab;
    private final Tab opsTab;
    private final Tab stepsTab;
    private final Tab sqlTab;
    private final Tab compareTab;
    private final CompareView compare;
    private final TimelineView timeline;
    private final FlameGraphView flame;
    private final OverviewPane overview;
    private final DataTable kernels;
    private final DataTable ops;
    private final DataTable steps;
    private final SqlConsole sql;
    private final RequestsView requests; // null unless the capture has request slices

    CaptureView(CaptureSession session, BooleanProperty dark) {
        this(session, dark, () -> List.of(session));
    }

    /** {@code openSessions}: every open capture, for the Compare tab's choice of baseline. */
    CaptureView(CaptureSession session, BooleanProperty dark, java.util.function.Supplier<List<CaptureSession>> openSessions) {
        this.session = session;
        getStyleClass().add("view-tabs");
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);
        overview = new OverviewPane(session, dark, this::showEvidence);
        timeline = new TimelineView(session, dark);
        flame = new FlameGraphView(session, dark);
        kernels = nameTable("Kernels", "kernel");
        ops = nameTable("CPU ops", "op");
        steps = stepsTable(session.report().overview());
        sql = new SqlConsole(session);
        compare = new CompareView(session, openSessions);
        overviewTab = tab("Overview", overview, "Findings, step breakdown, GPU busy/idle, capture facts");
        timelineTab = tab("Timeline", timeline, "Slices per thread and GPU stream over time");
        flameTab = tab("Flame", flame, "CPU samples as a merged call tree (width = samples)");
        kernelsTab = tab("Kernels", kernels, "Every GPU kernel name: count, total, mean, min, max, share");
        opsTab = tab("CPU ops", ops, "Every CPU operator name: count, total, mean, min, max, share");
        stepsTab = tab("Steps", steps, "Each training step and its parts");
        sqlTab = tab("SQL", sql, "Read-only SQL on this capture");
        compareTab = tab("Compare", compare, "This capture against another open one: step time, categories, names");
        getTabs().addAll(overviewTab, timelineTab, flameTab);
        // the three summary tables only where they have rows: a service's capture has no kernels, ops or steps
        CaptureOverview o = session.report().overview();
        if (o.kernelCount() > 0) {
            getTabs().add(kernelsTab);
        }
        if (o.eventCounts().getOrDefault(Category.CPU_OP, 0L) > 0) {
            getTabs().add(opsTab);
        }
        if (!o.steps().isEmpty()) {
            getTabs().add(stepsTab);
        }
        // a serving capture gets its Requests tab (latency percentiles, histogram, tail, slowest requests)
        requests = o.latencies().isEmpty() ? null : new RequestsView(session, dark);
        if (requests != null) {
            getTabs().add(tab("Requests", requests, "Request latency: percentiles, histogram, the p99 tail's phases,"
                    + " the slowest requests"));
        }
        getTabs().addAll(sqlTab, compareTab);
        loadNameTables();
        flameTab.setOnSelectionChanged(e -> {
            if (flameTab.isSelected()) {
                flame.ensureStarted();
            }
        });
        // the flame graph can be restricted to the range selected on the timeline
        flame.rangeProperty().bind(timeline.rangeSelectionProperty());
        timeline.rangePane().flameButton().setOnAction(e -> {
            flame.restrictToRange(true);
            getSelectionModel().select(flameTab);
        });
        // Ctrl+F (or /) on the timeline: its search field
        addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            boolean find = e.isShortcutDown() && e.getCode() == javafx.scene.input.KeyCode.F
                    || e.getCode() == javafx.scene.input.KeyCode.SLASH && !e.isShortcutDown()
                    && !(e.getTarget() instanceof javafx.scene.control.TextInputControl);
            if (find && getSelectionModel().getSelectedItem() == timelineTab) {
                timeline.focusSearch();
                e.consume();
            } else if (find && getSelectionModel().getSelectedItem() == flameTab) {
                flame.filterField().requestFocus();
                e.consume();
            }
        });
        addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (getSelectionModel().getSelectedItem() == timelineTab
                    && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                timeline.key(e);
            } else if (getSelectionModel().getSelectedItem() == flameTab
                    && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                flame.key(e);
            }
        });
    }

    /**
     * A tab whose content joins the scene when the tab is first selected (the Overview's at once): a TabPane
     * styles and lays out every tab's content, and the tables and consoles of the other seven were half of the
     * CSS and layout time of an open. The views themselves are built at once, so their reads and accessors work.
     */
    private static Tab tab(String title, javafx.scene.Node content, String tip) {
        Tab t = new Tab(title);
        if (title.equals("Overview")) {
            t.setContent(content);
        } else {
            t.selectedProperty().addListener((o, was, is) -> {
                if (is && t.getContent() == null) {
                    t.setContent(content);
                }
            });
        }
        t.setTooltip(new javafx.scene.control.Tooltip(tip));
        t.setId("view-" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
        return t;
    }

    CaptureSession session() {
        return session;
    }

    TimelineView timeline() {
        return timeline;
    }

    FlameGraphView flame() {
        return flame;
    }

    OverviewPane overview() {
        return overview;
    }

    CompareView compare() {
        return compare;
    }

    /** Null when the capture has no requests. */
    RequestsView requests() {
        return requests;
    }

    SqlConsole sql() {
        return sql;
    }

    DataTable kernels() {
        return kernels;
    }

    void showView(String name) {
        for (Tab t : getTabs()) {
            if (t.getText().equalsIgnoreCase(name)) {
                getSelectionModel().select(t);
                // a view added to the scene just now (tabs join it when first shown) is styled and laid out at once,
                // not at the next pulse: whoever asked for it can use its controls right away
                applyCss();
                layout();
            }
        }
    }

    /** "show ▸" on a finding: the timeline over the steps window (where the finding's numbers come from). */
    private void showEvidence(Finding f) {
        CaptureOverview o = session.report().overview();
        long origin = session.reader().timeOriginNs();
        if (!o.steps().isEmpty()) {
            StepRow first = o.steps().get(0);
            StepRow last = o.steps().get(o.steps().size() - 1);
            timeline.show(first.startNs() - origin, last.endNs() - origin);
        } else if (!o.gpus().isEmpty()) {
            timeline.show(o.gpus().get(0).windowStartNs() - origin, o.gpus().get(0).windowEndNs() - origin);
        } else {
            timeline.fitAll();
        }
        getSelectionModel().select(timelineTab);
    }

    private static DataTable nameTable(String title, String what) {
        DataTable t = new DataTable(title, List.of(
                new DataTable.Column(what, DataTable.Kind.TEXT, 520),
                new DataTable.Column("count", DataTable.Kind.COUNT, 80),
                new DataTable.Column("total", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("mean", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("min", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("max", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("share", DataTable.Kind.SHARE, 140)));
        t.setPlaceholder("Reading…");
        return t;
    }

    private void loadNameTables() {
        session.query(() -> List.of(session.reader().topNames(Category.KERNEL, 100_000),
                session.reader().topNames(Category.CPU_OP, 100_000))).whenComplete((lists, e) -> Platform.runLater(() -> {
                    if (e != null) {
                        kernels.setPlaceholder("Could not read the kernel summary: " + ErrorText.of(e));
                        ops.setPlaceholder("Could not read the op summary: " + ErrorText.of(e));
                        return;
                    }
                    kernels.setPlaceholder("No GPU kernels in this capture (a CPU-only run, or the profiler ran"
                            + " without CUDA activities).");
                    ops.setPlaceholder("No CPU operators in this capture.");
                    kernels.setRows(rows(lists.get(0)));
                    ops.setRows(rows(lists.get(1)));
                }));
    }

    private static List<Object[]> rows(List<NameTotal> names) {
        long total = names.stream().mapToLong(NameTotal::totalNs).sum();
        List<Object[]> rows = new ArrayList<>(names.size());
        for (NameTotal n : names) {
            rows.add(new Object[] {n.name(), n.count(), n.totalNs(), n.meanNs(), n.minNs(), n.maxNs(),
                total == 0 ? 0.0 : n.totalNs() / (double) total});
        }
        return rows;
    }

    private static DataTable stepsTable(CaptureOverview o) {
        List<DataTable.Column> cols = new ArrayList<>();
        cols.add(new DataTable.Column("step", DataTable.Kind.COUNT, 60));
        cols.add(new DataTable.Column("name", DataTable.Kind.TEXT, 150));
        cols.add(new DataTable.Column("duration", DataTable.Kind.DURATION_NS, 95));
        for (String p : dev.throughline.app.analysis.StepStats.PART_NAMES) {
            cols.add(new DataTable.Column(p, DataTable.Kind.DURATION_NS, 95));
        }
        cols.add(new DataTable.Column("host span", DataTable.Kind.DURATION_NS, 95));
        DataTable t = new DataTable("Steps", cols);
        t.setPlaceholder("No steps: the capture has no ProfilerStep#N spans.");
        List<Object[]> rows = new ArrayList<>();
        for (StepRow s : o.steps()) {
            rows.add(new Object[] {s.step(), s.name(), s.durNs(), s.kernelNs(), s.memcpyNs(), s.memsetNs(),
                s.communicationNs(), s.runtimeNs(), s.dataloaderNs(), s.cpuExecNs(), s.otherNs(), s.hostDurNs()});
        }
        t.setRows(rows);
        return t;
    }

    /** The status bar's line for this capture. */
    String statusLine() {
        CaptureOverview o = session.report().overview();
        if (o.stepStats().count() == 0 && !o.latencies().isEmpty()) { // a service: its requests, not kernels and steps
            return String.format("%,d requests · p99 %s (%s) · %,d lost · span %s", o.requestCount(),
                    Units.duration(o.latencies().get(0).p99Ns()), o.latencies().get(0).name(), o.lostEvents(),
                    Units.duration(o.spanNs()));
        }
        return String.format("%,d kernels · %d steps · %,d lost · span %s", o.kernelCount(), o.stepStats().count(),
                o.lostEvents(), Units.duration(o.spanNs()));
    }
}
