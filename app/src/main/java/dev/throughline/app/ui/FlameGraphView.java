package dev.throughline.app.ui;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

import dev.throughline.app.report.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Flame tab: the capture's CPU samples as a merged call tree on a Canvas. Icicle by default (the
 * outermost frames on top, callees below, so a deep Python stack reads top-down like a traceback);
 * the "Flame" toggle puts the roots at the bottom. Width is samples; colour is the frame's language.
 * Hover for self/total, click to zoom into a frame, Esc or the breadcrumb to go back; the filter
 * highlights matching frames and says their share. Trees are built on the capture's db thread.
 */
final class FlameGraphView extends BorderPane {
    static final double ROW_H = 18;
    static final double PAD = 6;

    private final CaptureSession session;
    private final BooleanProperty dark;
    private final Canvas canvas = new Canvas();
    private final Pane canvasHolder = new Pane(canvas);
    private final ScrollBar vbar = new ScrollBar();
    private final ComboBox<CallTreeQuery.Source> source = new ComboBox<>();
    private final CheckBox rangeOnly = new CheckBox("Selected range only");
    private final TextField filter = new TextField();
    private final Label matchLabel = new Label();
    private final ToggleButton flameToggle = new ToggleButton("Flame ↥");
    private final HBox breadcrumb = new HBox(2);
    private final Label status = new Label();
    private final Label empty = new Label();
    private final Tooltip hoverTip = new Tooltip();
    private final StackPane center;

    private final ObjectProperty<TimelineView.Range> range = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(true);
    private final long spanStartRel;
    private CallTreeBuilder builder;
    private CallTree tree;
    private final DataTable functions = new DataTable("Functions: self and total samples", List.of(
            new DataTable.Column("function", DataTable.Kind.TEXT, 420),
            new DataTable.Column("file", DataTable.Kind.TEXT, 260),
            new DataTable.Column("self", DataTable.Kind.COUNT, 80),
            new DataTable.Column("self %", DataTable.Kind.SHARE, 130),
            new DataTable.Column("total", DataTable.Kind.COUNT, 80),
            new DataTable.Column("total %", DataTable.Kind.SHARE, 130)));
    private CallTree.Node focus;
    private List<FlameLayout.Cell> cells = List.of();
    /** Where each cell was drawn (canvas coordinates), for hit-testing and tests. */
    private final List<Drawn> drawn = new ArrayList<>();
    private int generation;
    private boolean started;

    record Drawn(CallTree.Node node, double x, double y, double w, double h, boolean ancestor) {
    }

    FlameGraphView(CaptureSession session, BooleanProperty dark) {
        this.session = session;
        this.dark = dark;
        this.spanStartRel = session.reader().spanStartNs() - session.reader().timeOriginNs();
        getStyleClass().add("flame");
        canvas.widthProperty().bind(canvasHolder.widthProperty());
        canvas.heightProperty().bind(canvasHolder.heightProperty());
        canvas.widthProperty().addListener(o -> relayout());
        canvas.heightProperty().addListener(o -> redraw());
        canvas.setId("flame-canvas");
        canvas.setFocusTraversable(true);
        canvasHolder.setMinSize(100, 100);
        Tooltip.install(canvas, hoverTip);
        hoverTip.setShowDelay(javafx.util.Duration.millis(200));
        vbar.setOrientation(Orientation.VERTICAL);
        vbar.valueProperty().addListener(o -> redraw());
        HBox middle = new HBox(canvasHolder, vbar);
        HBox.setHgrow(canvasHolder, Priority.ALWAYS);
        empty.getStyleClass().add("empty-state");
        empty.setId("flame-empty");
        empty.setWrapText(true);
        empty.setMaxWidth(640);
        empty.setMouseTransparent(true);
        empty.setText("Reading samples…");
        center = new StackPane(middle, empty);
        // the flame graph above, every function's self and total samples below (sortable, filterable, TSV)
        functions.setPlaceholder("Reading samples…");
        javafx.scene.control.SplitPane split = new javafx.scene.control.SplitPane(center, functions);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.68);
        setCenter(split);
        setTop(new VBox(toolbar(), breadcrumbBar()));
        status.getStyleClass().add("muted");
        status.setId("flame-status");
        status.setPadding(new Insets(4, 10, 4, 10));
        setBottom(status);
        dark.addListener(o -> redraw());
        installInput();
        range.addListener((o, a, b) -> {
            rangeOnly.setDisable(b == null);
            rangeOnly.setText(b == null ? "Selected range only" : "Selected range only ("
                    + Units.duration(Math.round(b.startNs() - spanStartRel)) + " – "
                    + Units.duration(Math.round(b.endNs() - spanStartRel)) + ")");
            if (rangeOnly.isSelected()) {
                reload();
            }
        });
        rangeOnly.setDisable(true);
    }

    /** Reads the samples the first time the tab is shown (opening a capture costs no sample scan). */
    void ensureStarted() {
        if (!started) {
            started = true;
            start();
        }
    }

    private Region toolbar() {
        source.setId("flame-source");
        source.setTooltip(new Tooltip("Whose samples: all threads, one process, or one thread"));
        source.setOnAction(e -> reload());
        rangeOnly.setId("flame-range-only");
        rangeOnly.setTooltip(new Tooltip("Only the samples inside the range selected on the timeline"
                + " (Shift+drag there, or drag on its time ruler)"));
        rangeOnly.setOnAction(e -> reload());
        filter.setId("flame-filter");
        filter.setPromptText("highlight frames: function or file…");
        filter.setPrefColumnCount(18);
        filter.textProperty().addListener(o -> updateMatches());
        matchLabel.setId("flame-matches");
        matchLabel.getStyleClass().add("muted");
        flameToggle.setId("flame-toggle");
        flameToggle.setTooltip(new Tooltip("Flame: roots at the bottom. Off (icicle): roots on top"));
        flameToggle.setOnAction(e -> redraw());
        Button reset = new Button("Reset zoom");
        reset.setTooltip(new Tooltip("Back to all samples (Esc goes up one frame)"));
        reset.setOnAction(e -> setFocus(tree == null ? null : tree.root()));
        FlowPane legend = new FlowPane(10, 2);
        legend.setAlignment(Pos.CENTER_RIGHT);
        for (FrameKind k : FrameKind.values()) {
            Label l = new Label(k.label, new Rectangle(10, 10, Palette.ofFrameKind(k)));
            l.getStyleClass().add("legend-item");
            legend.getChildren().add(l);
        }
        for (Region r : List.of(rangeOnly, matchLabel, flameToggle, reset)) {
            r.setMinWidth(Region.USE_PREF_SIZE); // labels are never cut; the filter field and legend give way
        }
        filter.setMinWidth(120);
        source.setMaxWidth(300);
        HBox bar = new HBox(8, source, rangeOnly, filter, matchLabel, flameToggle, reset, legend);
        HBox.setHgrow(legend, Priority.ALWAYS);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        bar.getStyleClass().add("view-toolbar");
        return bar;
    }

    private Region breadcrumbBar() {
        breadcrumb.setId("flame-breadcrumb");
        breadcrumb.setAlignment(Pos.CENTER_LEFT);
        breadcrumb.setPadding(new Insets(2, 10, 2, 10));
        return breadcrumb;
    }

    private void installInput() {
        canvas.setOnMouseMoved(e -> {
            Drawn d = hit(e.getX(), e.getY());
            hoverTip.setText(d == null ? "" : tooltip(d.node()));
            canvas.setCursor(d == null ? javafx.scene.Cursor.DEFAULT : javafx.scene.Cursor.HAND);
        });
        canvas.setOnMouseClicked(e -> {
            canvas.requestFocus();
            if (e.getButton() == MouseButton.PRIMARY) {
                Drawn d = hit(e.getX(), e.getY());
                if (d != null) {
                    setFocus(d.node());
                }
            }
        });
        canvas.setOnMousePressed(e -> {
            canvas.requestFocus();
            e.consume();
        });
        canvas.setOnScroll(e -> {
            vbar.setValue(Math.max(vbar.getMin(), Math.min(vbar.getMax(), vbar.getValue() - e.getDeltaY())));
            e.consume();
        });
        canvas.setOnKeyPressed(this::key);
    }

    /** Esc: up one frame (to all samples at the top). */
    void key(javafx.scene.input.KeyEvent e) {
        if (e.getCode() == KeyCode.ESCAPE && focus != null && !focus.isRoot()) {
            setFocus(focus.parent());
            e.consume();
        }
    }

    private String tooltip(CallTree.Node n) {
        long all = tree.totalWeight();
        StringBuilder sb = new StringBuilder(n.function());
        if (!n.location().isEmpty()) {
            sb.append('\n').append(n.location());
        }
        sb.append('\n').append(n.kind().label).append(" frame");
        sb.append(String.format(Locale.ROOT, "%ntotal: %,d samples (%s of all)", n.total(), pct(n.total(), all)));
        sb.append(String.format(Locale.ROOT, "%nself: %,d samples (%s of all)", n.self(), pct(n.self(), all)));
        if (focus != null && !focus.isRoot() && n != focus && n.depth() > focus.depth()) {
            sb.append(String.format(Locale.ROOT, "%n%s of %s", pct(n.total(), focus.total()), focus.function()));
        }
        sb.append("\nclick to zoom in");
        return sb.toString();
    }

    static String pct(long part, long whole) {
        if (whole == 0) {
            return "0 %";
        }
        double p = 100.0 * part / whole;
        return p >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f %%", p)
                : p >= 1 ? String.format(Locale.ROOT, "%.1f %%", p) : String.format(Locale.ROOT, "%.2f %%", p);
    }

    // ---- loading

    private void start() {
        session.query(() -> {
            long n = CallTreeQuery.sampleCount(session);
            if (n == 0) {
                return null;
            }
            return new Object[] {CallTreeQuery.sources(session), new CallTreeBuilder(CallTreeQuery.callsites(session))};
        }).whenComplete((r, e) -> Platform.runLater(() -> {
            if (e != null) {
                showEmpty("Could not read the samples: " + ErrorText.of(e));
            } else if (r == null) {
                showEmpty("No CPU samples in this capture: record with --sample-hz N (e.g. `throughline record"
                        + " --sample-hz 100 -- python train.py`; 0 turns sampling off), or open a capture from an agent"
                        + " that samples stacks. Imported traces carry no samples.");
            } else {
                @SuppressWarnings("unchecked")
                List<CallTreeQuery.Source> sources = (List<CallTreeQuery.Source>) r[0];
                builder = (CallTreeBuilder) r[1];
                source.getItems().setAll(sources);
                source.getSelectionModel().select(0);
                reload();
            }
        }));
    }

    private void showEmpty(String message) {
        empty.setText(message);
        empty.setVisible(true);
        loading.set(false);
        status.setText("");
    }

    private CallTreeQuery.SampleFilter filterNow() {
        CallTreeQuery.Source s = source.getValue();
        CallTreeQuery.SampleFilter f = s == null ? CallTreeQuery.SampleFilter.ALL
                : CallTreeQuery.SampleFilter.ALL.withSource(s.processId(), s.threadId());
        TimelineView.Range r = range.get();
        if (rangeOnly.isSelected() && r != null) {
            f = f.withRange((long) Math.floor(r.startNs()), (long) Math.ceil(r.endNs()));
        }
        return f;
    }

    /** Rebuilds the tree for the current source and range, keeping the zoomed frame when it still exists. */
    private void reload() {
        if (builder == null) {
            return;
        }
        int gen = ++generation;
        loading.set(true);
        CallTreeQuery.SampleFilter f = filterNow();
        List<String[]> keep = focus == null ? List.of() : focus.path().stream()
                .map(n -> new String[] {n.function(), n.file()}).toList();
        long[] builtNs = {0};
        session.query(() -> {
            long t0 = System.nanoTime(); // timed on the db thread: the build, not the wait in its queue
            CallTree built = CallTreeQuery.tree(session, builder, f);
            builtNs[0] = System.nanoTime() - t0;
            return built;
        }).whenComplete((t, e) -> Platform.runLater(() -> {
            if (gen != generation) {
                return; // a newer filter is being read
            }
            if (e != null) {
                showEmpty("Could not build the call tree: " + ErrorText.of(e));
                return;
            }
            tree = t;
            showFunctions(t);
            empty.setVisible(t.isEmpty());
            if (t.isEmpty()) {
                empty.setText(f.fromNs() != null ? "No samples in the selected range: select a longer range on the"
                        + " timeline, or untick \"Selected range only\"." : "No samples for this thread.");
            }
            focus = relocate(t.root(), keep);
            loading.set(false);
            status.setText(String.format("%,d samples · %,d frames · depth %d · built in %s%s", t.totalWeight(),
                    t.nodeCount(), t.maxDepth() + 1, Units.duration(builtNs[0]),
                    f.fromNs() == null ? "" : " · range " + Units.duration(f.toNs() - f.fromNs())));
            setFocus(focus);
        }));
    }

    private void showFunctions(CallTree t) {
        double all = Math.max(1, t.totalWeight());
        List<Object[]> rows = new java.util.ArrayList<>();
        for (CallTree.FunctionTotal f : t.functionTotals()) {
            rows.add(new Object[] {f.function(), f.file() == null ? "" : f.file(), f.self(), f.self() / all, f.total(),
                    f.total() / all});
        }
        functions.setRows(rows);
        functions.setPlaceholder("No samples.");
    }

    DataTable functionsTable() {
        return functions;
    }

    private static CallTree.Node relocate(CallTree.Node root, List<String[]> path) {
        CallTree.Node n = root;
        for (String[] p : path) {
            CallTree.Node next = null;
            for (CallTree.Node c : n.children()) {
                if (c.function().equals(p[0]) && java.util.Objects.equals(c.file(), p[1])) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            n = next;
        }
        return n;
    }

    // ---- zoom, search, drawing

    void setFocus(CallTree.Node node) {
        if (tree == null) {
            return;
        }
        focus = node == null ? tree.root() : node;
        breadcrumb.getChildren().clear();
        Hyperlink all = crumb("all samples", tree.root());
        breadcrumb.getChildren().add(all);
        for (CallTree.Node n : focus.path()) {
            Label sep = new Label("›");
            sep.getStyleClass().add("muted");
            breadcrumb.getChildren().addAll(sep, crumb(n.function(), n));
        }
        if (focus.isRoot()) {
            Label hint = new Label("  click a frame to zoom in · hover for self and total samples");
            hint.getStyleClass().add("muted");
            breadcrumb.getChildren().add(hint);
        } else {
            Label share = new Label("  " + pct(focus.total(), tree.totalWeight()) + " of all samples · Esc: up one frame");
            share.getStyleClass().add("muted");
            breadcrumb.getChildren().add(share);
        }
        vbar.setValue(0);
        relayout();
        updateMatches();
    }

    private Hyperlink crumb(String text, CallTree.Node n) {
        Hyperlink h = new Hyperlink(text.length() > 48 ? text.substring(0, 47) + "…" : text);
        h.setOnAction(e -> setFocus(n));
        h.setDisable(n == focus);
        return h;
    }

    private void updateMatches() {
        String text = filter.getText() == null ? "" : filter.getText().strip();
        if (tree == null || text.isEmpty()) {
            matchLabel.setText("");
        } else {
            CallTree.Matches m = tree.matches(text);
            matchLabel.setText(m.frames() == 0 ? "no frame matches"
                    : String.format("%,d frames · %s of samples", m.frames(), pct(m.samples(), tree.totalWeight())));
        }
        redraw();
    }

    private void relayout() {
        cells = tree == null || focus == null ? List.of() : FlameLayout.layout(focus, Math.max(1, canvas.getWidth() - 2 * PAD));
        redraw();
    }

    private void updateScroll(int rows) {
        double content = rows * ROW_H + 2 * PAD;
        double max = Math.max(0, content - canvas.getHeight());
        vbar.setMin(0);
        vbar.setMax(max);
        vbar.setVisibleAmount(canvas.getHeight());
        vbar.setVisible(max > 0);
        vbar.setManaged(max > 0);
    }

    private void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        boolean isDark = dark.get();
        g.setFill(isDark ? Color.web("#1d1f23") : Color.WHITE);
        g.fillRect(0, 0, w, h);
        drawn.clear();
        if (tree == null || cells.isEmpty()) {
            updateScroll(0);
            return;
        }
        int rows = 0;
        for (FlameLayout.Cell c : cells) {
            rows = Math.max(rows, c.row() + 1);
        }
        updateScroll(rows);
        boolean flame = flameToggle.isSelected();
        String needle = filter.getText() == null ? "" : filter.getText().strip().toLowerCase(Locale.ROOT);
        boolean searching = !needle.isEmpty();
        Font font = Font.font("System", 11);
        Font bold = Font.font("System", FontWeight.BOLD, 11);
        g.setTextBaseline(VPos.CENTER);
        double scroll = vbar.getValue();
        for (FlameLayout.Cell c : cells) {
            double y = flame ? h - PAD - (c.row() + 1) * ROW_H + scroll : PAD + c.row() * ROW_H - scroll;
            if (y + ROW_H < 0 || y > h) {
                continue;
            }
            double x = PAD + c.x();
            double cw = c.width();
            CallTree.Node n = c.node();
            Color fill = Palette.ofFrame(n.kind(), FrameKind.group(n.kind(), n.function(), n.file()));
            boolean match = searching && n.matches(needle);
            if (c.ancestor()) {
                fill = fill.deriveColor(0, 0.35, isDark ? 0.7 : 1.08, 1);
            } else if (searching && !match) {
                fill = isDark ? Color.web("#3a3d44") : Color.web("#e3e4e8"); // the rest goes grey, still readable
            }
            g.setFill(fill);
            g.fillRect(x, y, Math.max(0.5, cw - (cw > 3 ? 1 : 0)), ROW_H - 1);
            if (match) {
                g.setStroke(isDark ? Color.WHITE : Color.web("#111111"));
                g.setLineWidth(1.5);
                g.strokeRect(x + 0.75, y + 0.75, Math.max(0.5, cw - 2.5), ROW_H - 2.5);
            }
            if (cw > 30) {
                g.setFill(searching && !match && !c.ancestor() ? (isDark ? Color.web("#a4aab4") : Color.web("#50555e"))
                        : Palette.textOn(fill));
                g.setFont(match ? bold : font);
                String label = c.ancestor() || n == focus && !n.isRoot()
                        ? n.function() + "  (" + pct(n.total(), tree.totalWeight()) + ")" : n.function();
                g.fillText(fit(label, cw - 6), x + 3, y + (ROW_H - 1) / 2);
            }
            drawn.add(new Drawn(n, x, y, cw, ROW_H - 1, c.ancestor()));
        }
    }

    static String fit(String s, double px) {
        int max = (int) (px / 6.2);
        if (max <= 1) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    private Drawn hit(double x, double y) {
        for (Drawn d : drawn) {
            if (x >= d.x() && x < d.x() + Math.max(1, d.w()) && y >= d.y() && y < d.y() + d.h()) {
                return d;
            }
        }
        return null;
    }

    // ---- for the enclosing view and tests

    /** The timeline's selected range (relative ns), or null; used when "Selected range only" is ticked. */
    ObjectProperty<TimelineView.Range> rangeProperty() {
        return range;
    }

    void restrictToRange(boolean on) {
        rangeOnly.setSelected(on);
        reload();
    }

    ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    CallTree tree() {
        return tree;
    }

    CallTree.Node focus() {
        return focus;
    }

    List<Drawn> drawn() {
        return List.copyOf(drawn);
    }

    Canvas canvas() {
        return canvas;
    }

    TextField filterField() {
        return filter;
    }

    Label matchLabel() {
        return matchLabel;
    }

    Label emptyLabel() {
        return empty;
    }

    ComboBox<CallTreeQuery.Source> sourceBox() {
        return source;
    }

    String tooltipText() {
        return hoverTip.getText();
    }

    HBox breadcrumb() {
        return breadcrumb;
    }
}
