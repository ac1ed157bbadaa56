package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import java.util.List;
import java.util.Map;

/**
 * The details of the slice selected on the timeline: name, category, times, track, the slices linked to it by a
 * correlation id (launch ⇄ kernel, with a link that goes there), and its arguments.
 */
final class SliceDetails extends VBox {
    private final CaptureSession session;
    private final long spanStartRel;
    private final Label name = new Label();
    private final GridPane facts = new GridPane();
    private final GridPane args = new GridPane();
    private final Label argsTitle = new Label("Arguments");
    private final Label hint = new Label("Click a slice to see its name, times and arguments.");
    private final VBox linked = new VBox(2);
    private final java.util.function.Consumer<SliceSearch.Match> goTo;
    private final Runnable linksChanged;
    private List<SliceSearch.Match> links = List.of();
    private long shownId = -1;

    SliceDetails(CaptureSession session, long spanStartRel) {
        this(session, spanStartRel, m -> { }, () -> { });
    }

    /**
     * @param goTo         shows a linked slice on the timeline
     * @param linksChanged the timeline redraws its connector
     */
    SliceDetails(CaptureSession session, long spanStartRel, java.util.function.Consumer<SliceSearch.Match> goTo,
                 Runnable linksChanged) {
        this.session = session;
        this.spanStartRel = spanStartRel;
        this.goTo = goTo;
        this.linksChanged = linksChanged;
        linked.setId("details-linked");
        getStyleClass().add("details-panel");
        setId("slice-details");
        setPrefWidth(330);
        setMinWidth(260);
        setSpacing(8);
        setPadding(new Insets(12));
        Label title = new Label("Selection");
        title.getStyleClass().add("section-title");
        name.getStyleClass().add("details-name");
        name.setId("details-name");
        name.setWrapText(true);
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        facts.setHgap(10);
        facts.setVgap(4);
        args.setHgap(10);
        args.setVgap(3);
        argsTitle.getStyleClass().add("section-title");
        ScrollPane argScroll = new ScrollPane(args);
        argScroll.setFitToWidth(true);
        argScroll.getStyleClass().add("args-scroll");
        VBox.setVgrow(argScroll, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, hint, name, facts, linked, argsTitle, argScroll);
        show(null, null);
    }

    String shownName() {
        return name.getText();
    }

    /** The slices linked to the shown one by its correlation id (empty until read, or when there are none). */
    List<SliceSearch.Match> links() {
        return links;
    }

    VBox linkedPane() {
        return linked;
    }

    void show(TimelineQuery.Box b, TimelineQuery.Track track) {
        facts.getChildren().clear();
        args.getChildren().clear();
        linked.getChildren().clear();
        boolean hadLinks = !links.isEmpty();
        links = List.of();
        shownId = b == null || b.merged() > 1 ? -1 : b.id();
        if (hadLinks) {
            linksChanged.run();
        }
        if (shownId > 0) {
            showLinks(shownId);
        }
        boolean any = b != null;
        hint.setVisible(!any);
        hint.setManaged(!any);
        name.setVisible(any);
        argsTitle.setVisible(any);
        if (!any) {
            name.setText("");
            return;
        }
        if (b.merged() > 1) {
            name.setText(String.format("%,d slices merged at this zoom", b.merged()));
            int r = 0;
            r = row(facts, r, "longest", b.name());
            r = row(facts, r, "from", Units.duration(b.startNs() - spanStartRel));
            row(facts, r, "covering", Units.duration(b.endNs() - b.startNs()));
            hint.setText("Zoom in (W or the mouse wheel) to tell them apart.");
            hint.setVisible(true);
            hint.setManaged(true);
            argsTitle.setVisible(false);
            return;
        }
        hint.setText("Click a slice to see its name, times and arguments.");
        name.setText(b.name());
        int r = 0;
        Label cat = new Label(b.category().label, new Rectangle(10, 10, Palette.of(b.category())));
        facts.addRow(r++, key("category"), cat);
        r = row(facts, r, "start", Units.duration(b.startNs() - spanStartRel) + " from the capture start");
        r = row(facts, r, "duration", Units.duration(b.endNs() - b.startNs()) + String.format("  (%,d ns)",
                b.endNs() - b.startNs()));
        r = row(facts, r, "end", Units.duration(b.endNs() - spanStartRel));
        r = row(facts, r, "track", track == null ? "?" : track.label() + " — " + track.detail());
        row(facts, r, "slice id", Long.toString(b.id()));
        if (b.argsId() <= 0) {
            args.add(muted("no arguments"), 0, 0);
            return;
        }
        args.add(muted("reading…"), 0, 0);
        session.query(() -> session.reader().args(b.argsId())).whenComplete((map, e) -> Platform.runLater(() -> {
            if (!name.isVisible() || !b.name().equals(name.getText())) {
                return;
            }
            args.getChildren().clear();
            if (e != null) {
                args.add(muted("could not read the arguments: " + ErrorText.of(e)), 0, 0);
                return;
            }
            int i = 0;
            for (Map.Entry<String, Object> en : map.entrySet()) {
                row(args, i++, en.getKey(), String.valueOf(en.getValue()));
            }
            if (i == 0) {
                args.add(muted("no arguments"), 0, 0);
            }
        }));
    }

    /** Reads the correlated slices off the FX thread; shows one link per slice ("→ kernel: name · 12.3 µs"). */
    private void showLinks(long id) {
        session.query(() -> LinkedSlices.of(session, id)).whenComplete((found, e) -> Platform.runLater(() -> {
            if (shownId != id || e != null || found.isEmpty()) {
                return; // another slice is shown by now, or nothing is linked (a failed read only loses the links)
            }
            links = List.copyOf(found);
            Label title = new Label("Linked by correlation id");
            title.getStyleClass().add("section-title");
            linked.getChildren().add(title);
            for (SliceSearch.Match m : links) {
                javafx.scene.control.Hyperlink go = new javafx.scene.control.Hyperlink(
                        (id == m.id() ? "" : "→ ") + m.category().label + ": " + m.name() + " · "
                                + Units.duration(m.endNs() - m.startNs()));
                go.setWrapText(true);
                go.setOnAction(ev -> goTo.accept(m));
                go.setTooltip(new javafx.scene.control.Tooltip("Show it on the timeline (the launch ⇄ GPU work pair)"));
                linked.getChildren().add(go);
            }
            linksChanged.run();
        }));
    }

    private static Label key(String k) {
        Label l = new Label(k);
        l.getStyleClass().add("muted");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static Label muted(String t) {
        Label l = new Label(t);
        l.getStyleClass().add("muted");
        l.setWrapText(true);
        return l;
    }

    private static int row(GridPane g, int r, String k, String v) {
        Label val = new Label(v.length() > 400 ? v.substring(0, 399) + "…" : v);
        val.setWrapText(true);
        val.getStyleClass().add("detail-value");
        g.addRow(r, key(k), val);
        return r + 1;
    }
}
