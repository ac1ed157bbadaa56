package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import dev.throughline.storage.Category;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timeline: one row group per track (GPU streams, then threads), slices coloured by category,
 * a time ruler, wheel zoom at the cursor, drag to pan, W/S zoom and A/D pan, F to fit, click for
 * details. Only the visible window (plus a margin) is read from the capture, off the FX thread: a dense track
 * zoomed out from its summary_lod buckets, else its slices (docs/ui.md, "Level of detail"); the
 * canvas redraws at once from the last data while a newer read is under way.
 */
final class TimelineView extends BorderPane {
    static final double LABEL_W = 210;
    static final double RULER_H = 30;
    static final double ROW_H = 18;
    static final double TRACK_GAP = 8;
    private static final double MIN_VIEW_NS = 1_000;

    /** A visible time range, relative ns (as stored). */
    record Range(double startNs, double endNs) {
        double width() {
            return endNs - startNs;
        }
    }

    static final double COUNTER_H = 46;

    /** Where a counter row was drawn. */
    record CounterDrawn(CounterQuery.CounterTrack track, double y, double h) {
    }

    /**
     * One completed window read: its sequence number ({@link #readsStarted} when it started), the window it
     * covered (relative ns, with its margins), the tracks drawn from summary_lod and from slice, the boxes it
     * returned, and how long it took on the db thread.
     */
    record Read(long seq, long fromNs, long toNs, double nsPerPixel, int lodTracks, int sliceTracks, int boxes, double ms) {
    }

    /** Where a box was drawn on the canvas (for tests and hit-testing). */
    record Drawn(TimelineQuery.Box box, TimelineQuery.Track track, double x, double y, double w, double h) {
    }

    private final CaptureSession session;
    private final BooleanProperty dark;
    private final Canvas canvas = new Canvas();
    private final Pane canvasHolder = new Pane(canvas);
    private final ScrollBar vbar = new ScrollBar();
    private final SliceDetails details;
    private final Label rangeLabel = new Label();
    private final Tooltip hoverTip = new Tooltip();
    private final long spanStartRel;
    private final long spanEndRel;

    private final ReadOnlyObjectWrapper<Range> visible = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyObjectWrapper<TimelineQuery.Box> selected = new ReadOnlyObjectWrapper<>();
    /** The range selected with Shift+drag or a drag on the ruler (relative ns), or null. */
    private final ReadOnlyObjectWrapper<Range> rangeSelection = new ReadOnlyObjectWrapper<>();
    private final RangeSummaryPane rangePane = new RangeSummaryPane();
    private int rangeGeneration;
    private boolean rangeDrag;
    private double rangeAnchorNs;
    private List<TimelineQuery.Track> tracks = List.of();
    private List<CounterQuery.CounterTrack> counters = List.of();
    private Map<Integer, CounterQuery.Series> counterSeries = new HashMap<>();
    private List<CounterQuery.Instant> instants = List.of();
    /** Where each counter row was drawn (for hover). */
    private final List<CounterDrawn> counterRows = new ArrayList<>();
    private final TimelineSearch search;
    private Map<Integer, List<TimelineQuery.Box>> boxes = new HashMap<>();
    private final List<Drawn> drawn = new ArrayList<>();
    private String emptyMessage;

    private boolean fetching;
    private boolean refetch;
    private Read lastRead;
    private long reads;
    private long readsStarted;
    private Runnable afterRedraw;
    private double pressX;
    private double pressY;
    private double dragStartNs;
    private double pressScroll;
    private boolean dragged;

    TimelineView(CaptureSession session, BooleanProperty dark) {
        this.session = session;
        this.dark = dark;
        getStyleClass().add("timeline");
        long origin = session.reader().timeOriginNs();
        spanStartRel = session.reader().spanStartNs() - origin;
        spanEndRel = spanStartRel + Math.max(1, session.reader().spanNs());
        visible.set(new Range(spanStartRel, spanEndRel));
        details = new SliceDetails(session, spanStartRel, this::goTo, this::redraw);
        search = new TimelineSearch(session, this::redraw, this::goTo, canvas::requestFocus);

        canvas.widthProperty().bind(canvasHolder.widthProperty());
        canvas.heightProperty().bind(canvasHolder.heightProperty());
        canvas.widthProperty().addListener(o -> viewportChanged());
        canvas.heightProperty().addListener(o -> redraw());
        canvas.setFocusTraversable(true);
        canvas.setId("timeline-canvas");
        canvasHolder.setMinSize(100, 100);
        Tooltip.install(canvas, hoverTip);
        hoverTip.setShowDelay(javafx.util.Duration.millis(250));

        vbar.setOrientation(Orientation.VERTICAL);
        vbar.valueProperty().addListener(o -> redraw());
        HBox middle = new HBox(canvasHolder, vbar);
        HBox.setHgrow(canvasHolder, Priority.ALWAYS);
        setCenter(middle);
        setTop(toolbar());
        setRight(details);
        rangePane.setVisible(false);
        rangePane.setManaged(false);
        rangePane.clearButton().setOnAction(e -> clearRange());
        setBottom(rangePane);
        dark.addListener(o -> redraw());
        visible.addListener(o -> updateRangeLabel());
        updateRangeLabel();
        installInput();

        session.query(() -> List.of(TimelineQuery.tracks(session), CounterQuery.counterTracks(session)))
                .whenComplete((t, e) -> Platform.runLater(() -> {
            if (e != null) {
                emptyMessage = "Could not read the tracks: " + ErrorText.of(e);
                tracks = List.of();
            } else {
                @SuppressWarnings("unchecked")
                List<TimelineQuery.Track> slices = (List<TimelineQuery.Track>) t.get(0);
                @SuppressWarnings("unchecked")
                List<CounterQuery.CounterTrack> cs = (List<CounterQuery.CounterTrack>) t.get(1);
                tracks = slices;
                counters = cs;
                if (slices.isEmpty() && cs.isEmpty()) {
                    emptyMessage = "No slices or counters in this capture: nothing to draw on the timeline.";
                }
            }
            updateScroll();
            loading.set(false);
            viewportChanged();
        }));
    }

    private Region toolbar() {
        Button in = new Button("+");
        in.setTooltip(new Tooltip("Zoom in (W, or mouse wheel up at the cursor)"));
        in.setOnAction(e -> zoom(0.5, visibleCenterX()));
        Button out = new Button("−");
        out.setTooltip(new Tooltip("Zoom out (S, or mouse wheel down)"));
        out.setOnAction(e -> zoom(2, visibleCenterX()));
        Button fit = new Button("Fit");
        fit.setTooltip(new Tooltip("Show the whole capture (F)"));
        fit.setOnAction(e -> fitAll());
        rangeLabel.getStyleClass().add("muted");
        rangeLabel.setId("timeline-range");
        FlowPane legend = new FlowPane(10, 2);
        legend.setAlignment(Pos.CENTER_RIGHT);
        Map<Category, Long> counts = session.report().overview().eventCounts();
        for (Category c : counts.keySet()) {
            Label l = new Label(c.label, new Rectangle(10, 10, Palette.of(c)));
            l.getStyleClass().add("legend-item");
            legend.getChildren().add(l);
        }
        Label hint = new Label("Shift+drag: range · ? help");
        hint.setTooltip(new Tooltip("wheel: zoom at the cursor · drag: pan · Shift+drag or drag on the ruler: select a"
                + " range · W/S zoom · A/D pan · F fit · click: details · Esc: clear"));
        hint.getStyleClass().add("muted");
        HBox bar = new HBox(8, in, out, fit, search.field(), search.count(), rangeLabel, hint, legend);
        HBox.setHgrow(legend, Priority.ALWAYS);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        bar.getStyleClass().add("view-toolbar");
        return bar;
    }

    private double visibleCenterX() {
        return LABEL_W + (canvas.getWidth() - LABEL_W) / 2;
    }

    private void installInput() {
        canvas.setOnScroll(e -> {
            if (e.isShiftDown()) {
                vbar.setValue(clamp(vbar.getValue() - e.getDeltaY(), vbar.getMin(), vbar.getMax()));
            } else if (e.getDeltaY() != 0) {
                zoom(e.getDeltaY() > 0 ? 0.8 : 1.25, e.getX());
            }
            e.consume();
        });
        canvas.setOnMousePressed(e -> {
            canvas.requestFocus();
            pressX = e.getX();
            pressY = e.getY();
            // Shift+drag anywhere, or a drag on the ruler, selects a range instead of panning
            rangeDrag = e.isShiftDown() || e.getY() < RULER_H;
            rangeAnchorNs = xToNs(Math.max(LABEL_W, e.getX()));
            dragStartNs = visible.get().startNs();
            pressScroll = vbar.getValue();
            dragged = false;
            e.consume(); // else the enclosing TabPane takes the focus (and W/A/S/D with it)
        });
        canvas.setOnMouseDragged(e -> {
            if (Math.abs(e.getX() - pressX) > 3 || Math.abs(e.getY() - pressY) > 3) {
                dragged = true;
            }
            if (dragged && rangeDrag) {
                double at = xToNs(Math.max(LABEL_W, Math.min(canvas.getWidth(), e.getX())));
                rangeSelection.set(new Range(Math.min(at, rangeAnchorNs), Math.max(at, rangeAnchorNs)));
                redraw();
            } else if (dragged) {
                double nsPerPx = nsPerPixel();
                Range r = visible.get();
                setVisible(dragStartNs - (e.getX() - pressX) * nsPerPx, r.width());
                vbar.setValue(clamp(pressScroll - (e.getY() - pressY), vbar.getMin(), vbar.getMax()));
            }
        });
        canvas.setOnMouseReleased(e -> {
            if (rangeDrag) {
                if (dragged) {
                    summarizeRange();
                } else if (e.getY() < RULER_H) {
                    clearRange(); // a click on the ruler clears the range
                }
                return;
            }
            if (!dragged && e.getButton() == MouseButton.PRIMARY) {
                select(hit(e.getX(), e.getY()));
            }
        });
        canvas.setOnMouseMoved(e -> {
            Drawn d = hit(e.getX(), e.getY());
            CounterDrawn cd = counterAt(e.getY());
            if (cd != null && e.getX() > LABEL_W) {
                CounterQuery.Series sr = counterSeries.get(cd.track().id());
                double ns = xToNs(e.getX());
                double v = sr == null ? Double.NaN : sr.valueAt(ns);
                hoverTip.setText(cd.track().name() + " = " + (Double.isNaN(v) ? "no sample yet" : cd.track().format(v))
                        + "\nat " + Units.duration(Math.round(ns - spanStartRel)));
            } else if (d == null) {
                hoverTip.setText(e.getX() > LABEL_W ? "at " + Units.duration(Math.round(xToNs(e.getX()) - spanStartRel))
                        : "");
            } else {
                TimelineQuery.Box b = d.box();
                hoverTip.setText(b.merged() > 1
                        ? String.format("%,d slices merged at this zoom (%s), longest: %s — zoom in to tell them apart",
                        b.merged(), Units.duration(b.endNs() - b.startNs()), b.name())
                        : b.name() + "\n" + b.category().label + " · " + Units.duration(b.endNs() - b.startNs())
                        + " · at " + Units.duration(b.startNs() - spanStartRel));
            }
        });
        canvas.setOnKeyPressed(this::key);
    }

    /** W/S zoom, A/D pan, F fit, Esc clears the selection; also called by the enclosing view's tabs. */
    void key(javafx.scene.input.KeyEvent e) {
        if (e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        KeyCode k = e.getCode();
        double w = visible.get().width();
        switch (k) {
            case W -> zoom(0.7, visibleCenterX());
            case S -> zoom(1 / 0.7, visibleCenterX());
            case A -> setVisible(visible.get().startNs() - w * 0.2, w);
            case D -> setVisible(visible.get().startNs() + w * 0.2, w);
            case F -> {
                if (rangeSelection.get() != null) {
                    show(rangeSelection.get().startNs(), rangeSelection.get().endNs());
                } else {
                    fitAll();
                }
            }
            case ESCAPE -> {
                if (selected.get() != null || rangeSelection.get() == null) {
                    select(null);
                } else {
                    clearRange();
                }
            }
            default -> {
                return;
            }
        }
        e.consume();
    }

    /** Zooms by {@code factor} (&lt; 1 zooms in) keeping the time under {@code x} in place. */
    void zoom(double factor, double x) {
        Range r = visible.get();
        double at = xToNs(Math.max(LABEL_W, x));
        double w = clamp(r.width() * factor, MIN_VIEW_NS, (spanEndRel - spanStartRel) * 1.2);
        double frac = (at - r.startNs()) / r.width();
        setVisible(at - frac * w, w);
    }

    void fitAll() {
        setVisible(spanStartRel, spanEndRel - spanStartRel);
    }

    /** Shows [startNs, endNs) (relative ns), e.g. a finding's evidence. */
    void show(double startNs, double endNs) {
        setVisible(startNs, Math.max(MIN_VIEW_NS, endNs - startNs));
    }

    private void setVisible(double start, double width) {
        double span = spanEndRel - spanStartRel;
        double margin = Math.max(0, (width - span) / 2) + width * 0.1;
        start = clamp(start, spanStartRel - margin, spanEndRel + margin - width);
        visible.set(new Range(start, start + width));
        viewportChanged();
    }

    // ---- search (TimelineSearch)

    void focusSearch() {
        search.focus();
    }

    /** Moves to the next ({@code +1}) or previous ({@code -1}) search match: centres it, selects it. */
    void jump(int direction) {
        search.jump(direction);
    }

    /**
     * The selected slice's correlated partners (a launch and its kernel) joined by a thin connector, where both are
     * drawn: from the bottom of the upper box to the top of the lower one.
     */
    private void drawLinks(GraphicsContext g, boolean isDark, double w, double h) {
        TimelineQuery.Box sel = selected.get();
        List<SliceSearch.Match> links = details.links();
        if (sel == null || links.isEmpty()) {
            return;
        }
        Drawn from = null;
        for (Drawn d : drawn) {
            if (d.box().id() == sel.id()) {
                from = d;
                break;
            }
        }
        if (from == null) {
            return;
        }
        g.save();
        g.beginPath();
        g.rect(LABEL_W, RULER_H, w - LABEL_W, h - RULER_H);
        g.clip();
        g.setStroke(isDark ? Color.web("#ffb454") : Color.web("#c2410c"));
        g.setLineWidth(1.5);
        for (SliceSearch.Match m : links) {
            for (Drawn d : drawn) {
                if (d.box().id() != m.id()) {
                    continue;
                }
                boolean down = d.y() >= from.y();
                double x0 = from.x() + Math.min(from.w(), 6) / 2;
                double y0 = down ? from.y() + from.h() : from.y();
                double x1 = d.x() + Math.min(d.w(), 6) / 2;
                double y1 = down ? d.y() : d.y() + d.h();
                g.strokeLine(x0, y0, x1, y1);
                g.fillOval(x1 - 2.5, y1 - 2.5, 5, 5);
            }
        }
        g.restore();
    }

    /** Shows one slice: centred (zoomed so that it reads), its track scrolled into view, selected. */
    void goTo(SliceSearch.Match m) {
        double dur = m.endNs() - m.startNs();
        // keep the zoom, except: a slice wider than the view is shown whole, and one too thin to see
        // (under 1/8 of the view) is zoomed to 1/8, so that each jump lands on something readable
        double width = visible.get().width();
        if (dur > width * 0.8) {
            width = dur / 0.8;
        } else if (dur * 8 < width) {
            width = Math.max(MIN_VIEW_NS, dur * 8);
        }
        setVisible((m.startNs() + m.endNs()) / 2.0 - width / 2, width);
        TimelineQuery.Track track = null;
        double y = 0;
        for (TimelineQuery.Track t : tracks) {
            if (t.id() == m.trackId()) {
                track = t;
                break;
            }
            y += trackHeight(t);
        }
        if (track != null) {
            double visibleH = canvas.getHeight() - RULER_H;
            if (y < vbar.getValue() || y + trackHeight(track) > vbar.getValue() + visibleH) {
                vbar.setValue(clamp(y - 10, vbar.getMin(), vbar.getMax()));
            }
        }
        TimelineQuery.Box box = new TimelineQuery.Box(m.startNs(), m.endNs(), 0, m.category(), m.name(), m.id(), m.argsId(), 1);
        selected.set(box);
        details.show(box, track);
        redraw();
    }

    javafx.scene.control.TextField searchField() {
        return search.field();
    }

    Label searchCountLabel() {
        return search.count();
    }

    SliceSearch.Result searchResult() {
        return search.result();
    }

    int searchIndex() {
        return search.index();
    }

    String hoverText() {
        return hoverTip.getText();
    }

    List<CounterDrawn> counterRows() {
        return List.copyOf(counterRows);
    }

    Map<Integer, CounterQuery.Series> counterSeries() {
        return Map.copyOf(counterSeries);
    }

    List<CounterQuery.Instant> instants() {
        return instants;
    }

    /** Selects [startNs, endNs) (relative ns) as if dragged on the ruler, and reads its summary. */
    void selectRange(double startNs, double endNs) {
        rangeSelection.set(new Range(Math.min(startNs, endNs), Math.max(startNs, endNs)));
        summarizeRange();
        redraw();
    }

    void clearRange() {
        rangeGeneration++;
        rangeSelection.set(null);
        rangePane.setVisible(false);
        rangePane.setManaged(false);
        redraw();
    }

    private void summarizeRange() {
        Range r = rangeSelection.get();
        if (r == null) {
            return;
        }
        int gen = ++rangeGeneration;
        rangePane.setVisible(true);
        rangePane.setManaged(true);
        rangePane.reading(r, spanStartRel);
        List<TimelineQuery.Track> ts = tracks;
        long from = (long) Math.floor(r.startNs());
        long to = (long) Math.ceil(r.endNs());
        session.query(() -> RangeQuery.summarize(session, ts, from, to, 200)).whenComplete((sum, e) -> Platform.runLater(() -> {
            if (gen != rangeGeneration) {
                return;
            }
            if (e != null) {
                rangePane.error("Could not read the range: " + ErrorText.of(e));
            } else {
                rangePane.show(sum);
            }
        }));
    }

    ReadOnlyObjectProperty<Range> rangeSelectionProperty() {
        return rangeSelection.getReadOnlyProperty();
    }

    RangeSummaryPane rangePane() {
        return rangePane;
    }

    ReadOnlyObjectProperty<Range> visibleRangeProperty() {
        return visible.getReadOnlyProperty();
    }

    /** True while the tracks or a window are being read. */
    ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<TimelineQuery.Box> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    List<Drawn> drawn() {
        return List.copyOf(drawn);
    }

    Canvas canvas() {
        return canvas;
    }

    /** The slice tracks, in drawing order. */
    List<TimelineQuery.Track> tracksShown() {
        return tracks;
    }

    /** The last completed window read, or null before the first (tests, benchmarks). */
    Read lastRead() {
        return lastRead;
    }

    /** How many window reads have completed. */
    long reads() {
        return reads;
    }

    /** How many window reads have been started. */
    long readsStarted() {
        return readsStarted;
    }

    /** Runs on the FX thread at the end of every redraw (the frame-time benchmark's probe). */
    void afterRedraw(Runnable probe) {
        afterRedraw = probe;
    }

    CaptureSession session() {
        return session;
    }

    SliceDetails details() {
        return details;
    }

    long spanStartRel() {
        return spanStartRel;
    }

    private double nsPerPixel() {
        return visible.get().width() / Math.max(1, canvas.getWidth() - LABEL_W);
    }

    private double xToNs(double x) {
        return visible.get().startNs() + (x - LABEL_W) * nsPerPixel();
    }

    private double nsToX(double ns) {
        return LABEL_W + (ns - visible.get().startNs()) / nsPerPixel();
    }

    private void viewportChanged() {
        redraw();
        fetch();
    }

    /** Reads the boxes of the visible window ± half a width; a change while reading triggers one more read. */
    private void fetch() {
        if (tracks.isEmpty() && counters.isEmpty() || canvas.getWidth() <= LABEL_W) {
            return;
        }
        if (fetching) {
            refetch = true;
            return;
        }
        fetching = true;
        loading.set(true);
        Range r = visible.get();
        double nsPerPx = nsPerPixel();
        long from = (long) Math.floor(r.startNs() - r.width() / 2);
        long to = (long) Math.ceil(r.endNs() + r.width() / 2);
        List<TimelineQuery.Track> ts = tracks;
        List<CounterQuery.CounterTrack> cs = counters;
        long seq = ++readsStarted;
        session.query(() -> {
            long started = System.nanoTime();
            Map<Integer, List<TimelineQuery.Box>> out = new HashMap<>();
            int lodTracks = 0;
            for (TimelineQuery.Track t : ts) {
                // zoomed out over a dense track: its level-of-detail buckets; else its slices
                int shift = TimelineQuery.lodShift(t, nsPerPx);
                if (shift >= 0) {
                    lodTracks++;
                    out.put(t.id(), TimelineQuery.lodWindow(session, t, shift, from, to));
                } else {
                    out.put(t.id(), TimelineQuery.window(session, t, from, to, nsPerPx));
                }
            }
            Map<Integer, CounterQuery.Series> series = new HashMap<>();
            for (CounterQuery.CounterTrack c : cs) {
                series.put(c.id(), CounterQuery.window(session, c, from, to, nsPerPx));
            }
            List<CounterQuery.Instant> inst = CounterQuery.instants(session, from, to, 20_000, nsPerPx);
            int boxCount = out.values().stream().mapToInt(List::size).sum();
            Read read = new Read(seq, from, to, nsPerPx, lodTracks, ts.size() - lodTracks, boxCount,
                    (System.nanoTime() - started) / 1e6);
            return new Object[] {out, series, inst, read};
        }).whenComplete((result, e) -> Platform.runLater(() -> {
            fetching = false;
            if (e != null) {
                emptyMessage = "Could not read the timeline: " + ErrorText.of(e);
            } else {
                @SuppressWarnings("unchecked")
                Map<Integer, List<TimelineQuery.Box>> b = (Map<Integer, List<TimelineQuery.Box>>) result[0];
                @SuppressWarnings("unchecked")
                Map<Integer, CounterQuery.Series> c = (Map<Integer, CounterQuery.Series>) result[1];
                @SuppressWarnings("unchecked")
                List<CounterQuery.Instant> i = (List<CounterQuery.Instant>) result[2];
                boxes = b;
                counterSeries = c;
                instants = i;
                lastRead = (Read) result[3];
                reads++;
            }
            if (refetch) {
                refetch = false;
                fetch();
            } else {
                loading.set(false);
            }
            redraw();
        }));
    }

    private void updateScroll() {
        double content = RULER_H;
        for (TimelineQuery.Track t : tracks) {
            content += trackHeight(t);
        }
        content += counters.size() * (COUNTER_H + TRACK_GAP);
        double max = Math.max(0, content - canvas.getHeight());
        vbar.setMin(0);
        vbar.setMax(max);
        vbar.setVisibleAmount(canvas.getHeight());
        vbar.setVisible(max > 0);
        vbar.setManaged(max > 0);
    }

    private static double trackHeight(TimelineQuery.Track t) {
        return Math.max((t.depth() + 1) * ROW_H + 16, 46) + TRACK_GAP;
    }

    void select(Drawn d) {
        selected.set(d == null ? null : d.box());
        details.show(d == null ? null : d.box(), d == null ? null : d.track());
        redraw();
    }

    private CounterDrawn counterAt(double y) {
        for (CounterDrawn c : counterRows) {
            if (y >= c.y() && y < c.y() + c.h()) {
                return c;
            }
        }
        return null;
    }

    private Drawn hit(double x, double y) {
        Drawn best = null;
        for (Drawn d : drawn) {
            if (y >= d.y() && y < d.y() + d.h() && x >= d.x() - 2 && x <= d.x() + d.w() + 2) {
                if (best == null || Math.abs(x - (d.x() + d.w() / 2)) < Math.abs(x - (best.x() + best.w() / 2))
                        || x >= d.x() && x <= d.x() + d.w()) {
                    best = d;
                    if (x >= d.x() && x <= d.x() + d.w()) {
                        break;
                    }
                }
            }
        }
        return best;
    }

    private void redraw() {
        updateScroll();
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        boolean isDark = dark.get();
        Color bg = isDark ? Color.web("#1d1f23") : Color.WHITE;
        Color gutter = isDark ? Color.web("#25272c") : Color.web("#f4f5f7");
        Color fg = isDark ? Color.web("#d8dbe2") : Color.web("#2b2f36");
        Color muted = isDark ? Color.web("#8f96a3") : Color.web("#6b7280");
        Color grid = isDark ? Color.web("#30333a") : Color.web("#eceef1");
        g.setFill(bg);
        g.fillRect(0, 0, w, h);
        drawn.clear();
        if (w <= LABEL_W) {
            return;
        }
        double nsPerPx = nsPerPixel();
        double[] ticks = ticks(nsPerPx);
        Range r = visible.get();

        // grid lines under everything
        g.setStroke(grid);
        g.setLineWidth(1);
        for (double t = Math.ceil(r.startNs() / ticks[0]) * ticks[0]; t <= r.endNs(); t += ticks[0]) {
            double x = Math.floor(nsToX(t)) + 0.5;
            g.strokeLine(x, RULER_H, x, h);
        }

        Font small = Font.font("System", 11);
        Font bold = Font.font("System", FontWeight.BOLD, 12);
        String needle = search.needle();
        double y = RULER_H - vbar.getValue();
        g.setTextBaseline(VPos.CENTER);
        for (TimelineQuery.Track t : tracks) {
            double th = trackHeight(t);
            if (y + th >= RULER_H && y <= h) {
                List<TimelineQuery.Box> bs = boxes.getOrDefault(t.id(), List.of());
                g.save();
                g.beginPath();
                g.rect(LABEL_W, RULER_H, w - LABEL_W, h - RULER_H);
                g.clip();
                double rowsTop = y + 16;
                for (TimelineQuery.Box b : bs) {
                    double x0 = nsToX(b.startNs());
                    double x1 = nsToX(b.endNs());
                    if (x1 < LABEL_W || x0 > w) {
                        continue;
                    }
                    x0 = Math.max(x0, LABEL_W - 1);
                    x1 = Math.min(x1, w + 1);
                    double bw = Math.max(1, x1 - x0);
                    double by = rowsTop + b.depth() * ROW_H;
                    Color c = Palette.of(b.category());
                    boolean match = needle != null && b.name().toLowerCase(Locale.ROOT).contains(needle);
                    if (needle != null && !match) {
                        c = c.deriveColor(0, 0.2, isDark ? 0.5 : 1.4, isDark ? 0.8 : 0.5); // search: the rest fades
                    }
                    // merged boxes a little paler; summary buckets as pale as they are idle (busy share)
                    g.setFill(b.merged() > 1 ? c.deriveColor(0, 0.85, 1, 0.85 * (0.35 + 0.65 * b.busy())) : c);
                    g.fillRect(x0, by, bw, ROW_H - 2);
                    if (match) {
                        g.setStroke(isDark ? Color.WHITE : Color.web("#111111"));
                        g.setLineWidth(1.5);
                        g.strokeRect(x0 + 0.75, by + 0.75, Math.max(0.5, bw - 1.5), ROW_H - 3.5);
                    }
                    drawn.add(new Drawn(b, t, x0, by, bw, ROW_H - 2));
                    if (bw > 36) {
                        g.setFill(needle != null && !match ? muted : Palette.textOn(c));
                        g.setFont(small);
                        String label = b.merged() > 1 ? b.merged() + " slices" : b.name();
                        g.fillText(fit(label, bw - 6), Math.max(x0, LABEL_W) + 3, by + (ROW_H - 2) / 2);
                    }
                }
                // instants: a small marker in the strip above the track's first row
                g.setFill(isDark ? Color.web("#f0f0f0") : Color.web("#333333"));
                for (CounterQuery.Instant in : instants) {
                    if (in.trackId() == t.id()) {
                        double ix = nsToX(in.tsNs());
                        if (ix >= LABEL_W && ix <= w) {
                            g.fillPolygon(new double[] {ix - 4, ix + 4, ix}, new double[] {y + 4, y + 4, y + 13}, 3);
                        }
                    }
                }
                TimelineQuery.Box sel = selected.get();
                if (sel != null) {
                    for (Drawn d : drawn) {
                        if (d.box().id() == sel.id() && d.track() == t) {
                            g.setStroke(isDark ? Color.WHITE : Color.BLACK);
                            g.setLineWidth(2);
                            g.strokeRect(d.x() - 1, d.y() - 1, d.w() + 2, d.h() + 2);
                        }
                    }
                }
                g.restore();
                // the track's label in the gutter
                g.setFill(gutter);
                g.fillRect(0, Math.max(y, RULER_H), LABEL_W, Math.min(th, y + th - RULER_H));
                if (y + 10 >= RULER_H) {
                    g.setFill(fg);
                    g.setFont(bold);
                    g.fillText(fit(t.label(), LABEL_W - 16), 10, y + 10);
                }
                if (y + 26 >= RULER_H) {
                    g.setFill(muted);
                    g.setFont(small);
                    g.fillText(fit(t.detail(), LABEL_W - 16), 10, y + 26);
                    if (y + 40 >= RULER_H && t.depth() > 0) {
                        g.fillText(String.format("%,d slices · depth %d", t.slices(), t.depth() + 1), 10, y + 40);
                    } else if (y + 40 >= RULER_H) {
                        g.fillText(String.format("%,d slices", t.slices()), 10, y + 40);
                    }
                }
                g.setStroke(grid);
                g.strokeLine(0, y + th - 0.5, w, y + th - 0.5);
            }
            y += th;
        }
        drawCounters(g, y, w, h, fg, muted, gutter, grid, small, bold);
        drawLinks(g, isDark, w, h);

        Range sel = rangeSelection.get();
        double selX0 = 0;
        double selX1 = 0;
        if (sel != null) {
            selX0 = Math.max(LABEL_W, nsToX(sel.startNs()));
            selX1 = Math.min(w, nsToX(sel.endNs()));
            if (selX1 > selX0 - 1) {
                g.setFill(isDark ? Color.rgb(120, 170, 255, 0.16) : Color.rgb(30, 90, 200, 0.10));
                g.fillRect(selX0, RULER_H, Math.max(1, selX1 - selX0), h - RULER_H);
                g.setStroke(isDark ? Color.web("#7fb0ff") : Color.web("#1e5ac8"));
                g.setLineWidth(1);
                g.strokeLine(Math.floor(selX0) + 0.5, RULER_H, Math.floor(selX0) + 0.5, h);
                g.strokeLine(Math.floor(selX1) + 0.5, RULER_H, Math.floor(selX1) + 0.5, h);
            }
        }

        // ruler
        g.setFill(gutter);
        g.fillRect(0, 0, w, RULER_H);
        g.setStroke(grid);
        g.strokeLine(0, RULER_H - 0.5, w, RULER_H - 0.5);
        g.setFill(muted);
        g.setFont(small);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("visible " + Units.duration(Math.round(r.width())), 10, RULER_H / 2);
        g.setFill(fg);
        for (double t = Math.ceil(r.startNs() / ticks[0]) * ticks[0]; t <= r.endNs(); t += ticks[0]) {
            double x = nsToX(t);
            if (x < LABEL_W) {
                continue;
            }
            g.setStroke(muted);
            g.strokeLine(Math.floor(x) + 0.5, RULER_H - 7, Math.floor(x) + 0.5, RULER_H);
            g.fillText(tickLabel(t - spanStartRel, ticks[0], r.endNs() - spanStartRel), x + 4, RULER_H / 2 - 2);
        }
        if (sel != null && selX1 > selX0 - 1) {
            // the range on the ruler: a band with its duration
            Color band = isDark ? Color.web("#2f4a78") : Color.web("#cfe0fb");
            g.setFill(band);
            g.fillRect(selX0, RULER_H - 13, Math.max(1, selX1 - selX0), 13);
            String d = Units.duration(Math.round(sel.width()));
            g.setFont(Font.font("System", FontWeight.BOLD, 11));
            g.setFill(fg);
            g.setTextAlign(TextAlignment.CENTER);
            double cx = Math.max(LABEL_W + 30, Math.min(w - 30, (selX0 + selX1) / 2));
            g.fillText(d, cx, RULER_H - 6.5);
            g.setTextAlign(TextAlignment.LEFT);
            g.setFont(small);
        }
        if (emptyMessage != null || tracks.isEmpty()) {
            g.setFill(muted);
            g.setFont(Font.font("System", 14));
            g.fillText(emptyMessage != null ? emptyMessage : "Reading tracks…", LABEL_W + 20, RULER_H + 40);
        }
        if (afterRedraw != null) {
            afterRedraw.run();
        }
    }

    /** Counter rows under the slice tracks: a step-area chart per counter, scaled from 0 (or its min) to its max. */
    private void drawCounters(GraphicsContext g, double y, double w, double h, Color fg, Color muted, Color gutter,
                              Color grid, Font small, Font bold) {
        counterRows.clear();
        boolean isDark = dark.get();
        Color line = isDark ? Color.web("#7FA7D9") : Color.web("#3A6EA5");
        Color area = line.deriveColor(0, 1, 1, 0.28);
        for (CounterQuery.CounterTrack c : counters) {
            double th = COUNTER_H + TRACK_GAP;
            if (y + th >= RULER_H && y <= h) {
                double top = y + 6;
                double bottom = y + COUNTER_H - 2;
                double lo = Math.min(0, c.min());
                double hi = c.max() > lo ? c.max() : lo + 1;
                CounterQuery.Series sr = counterSeries.get(c.id());
                g.save();
                g.beginPath();
                g.rect(LABEL_W, RULER_H, w - LABEL_W, h - RULER_H);
                g.clip();
                if (sr != null && sr.size() > 0) {
                    int n = sr.size();
                    double[] xs = new double[2 * n + 2];
                    double[] ys = new double[2 * n + 2];
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        double x = Math.max(LABEL_W - 2, Math.min(w + 2, nsToX(sr.ts()[i])));
                        double x2 = i + 1 < n ? Math.max(LABEL_W - 2, Math.min(w + 2, nsToX(sr.ts()[i + 1]))) : x;
                        double vy = bottom - (sr.value()[i] - lo) / (hi - lo) * (bottom - top);
                        xs[k] = x;
                        ys[k++] = vy;
                        xs[k] = x2;
                        ys[k++] = vy;
                    }
                    xs[k] = xs[k - 1];
                    ys[k++] = bottom;
                    xs[k] = xs[0];
                    ys[k++] = bottom;
                    g.setFill(area);
                    g.fillPolygon(xs, ys, k);
                    g.setStroke(line);
                    g.setLineWidth(1.5);
                    g.strokePolyline(xs, ys, k - 2);
                }
                g.restore();
                counterRows.add(new CounterDrawn(c, y, COUNTER_H));
                g.setFill(gutter);
                g.fillRect(0, Math.max(y, RULER_H), LABEL_W, Math.min(th, y + th - RULER_H));
                if (y + 10 >= RULER_H) {
                    g.setFill(fg);
                    g.setFont(bold);
                    g.fillText(fit(c.name(), LABEL_W - 16), 10, y + 10);
                }
                if (y + 26 >= RULER_H) {
                    g.setFill(muted);
                    g.setFont(small);
                    g.fillText(fit("max " + c.format(c.max()) + " · min " + c.format(c.min()), LABEL_W - 16), 10, y + 26);
                    if (y + 40 >= RULER_H) {
                        g.fillText(fit(String.format("%,d samples", c.samples())
                                + (c.detail().isEmpty() ? "" : " · " + c.detail()), LABEL_W - 16), 10, y + 40);
                    }
                }
                g.setStroke(grid);
                g.strokeLine(0, y + th - 0.5, w, y + th - 0.5);
            }
            y += th;
        }
    }

    private static String fit(String s, double px) {
        int max = (int) (px / 6.3);
        if (max <= 1) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    /** Tick spacing (1, 2 or 5 × 10^k ns) for at least ~110 px between labels. */
    static double[] ticks(double nsPerPx) {
        double raw = Math.max(1, nsPerPx * 110);
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw <= pow ? pow : raw <= 2 * pow ? 2 * pow : raw <= 5 * pow ? 5 * pow : 10 * pow;
        return new double[] {step};
    }

    /** A tick's time from the span start, in the unit of the visible end, with the decimals the step needs. */
    static String tickLabel(double ns, double step, double maxNs) {
        double m = Math.abs(maxNs);
        String unit;
        double div;
        if (m >= 1e9) {
            unit = "s";
            div = 1e9;
        } else if (m >= 1e6) {
            unit = "ms";
            div = 1e6;
        } else if (m >= 1e3) {
            unit = "µs";
            div = 1e3;
        } else {
            unit = "ns";
            div = 1;
        }
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step / div) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f %s", ns / div, unit);
    }

    private void updateRangeLabel() {
        Range r = visible.get();
        rangeLabel.setText(String.format("%s – %s  (%s)", Units.duration(Math.round(r.startNs() - spanStartRel)),
                Units.duration(Math.round(r.endNs() - spanStartRel)), Units.duration(Math.round(r.width()))));
    }

    private static double clamp(double v, double lo, double hi) {
        return hi < lo ? lo : Math.max(lo, Math.min(hi, v));
    }
}
