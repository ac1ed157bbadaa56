package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Compare tab of a capture: this capture (the candidate) against another open one (the baseline):
 * the mean step, the time per category and the names that changed most, per step when both have steps.
 * Each side is read on its own capture's db thread; the arithmetic is {@link CaptureComparison}'s.
 */
final class CompareView extends BorderPane {
    private final CaptureSession session;
    private final Supplier<List<CaptureSession>> openSessions;
    private final ComboBox<CaptureSession> baseline = new ComboBox<>();
    private final Label stepLine = new Label();
    private final Label note = new Label();
    private final DataTable categories;
    private final DataTable names;
    private CaptureComparison.Result result;
    private int generation;

    CompareView(CaptureSession session, Supplier<List<CaptureSession>> openSessions) {
        this.session = session;
        this.openSessions = openSessions;
        getStyleClass().add("compare");
        baseline.setId("compare-baseline");
        baseline.setPromptText("open a second capture to compare with");
        baseline.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(CaptureSession s) {
                return s == null ? "" : s.title();
            }

            @Override
            public CaptureSession fromString(String s) {
                return null;
            }
        });
        baseline.setOnShowing(e -> refreshChoices());
        baseline.setOnAction(e -> compare());
        Label with = new Label("Compare " + session.title() + " with baseline");
        with.getStyleClass().add("section-title");
        HBox bar = new HBox(10, with, baseline);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        bar.getStyleClass().add("view-toolbar");
        stepLine.setId("compare-step");
        stepLine.getStyleClass().add("compare-headline");
        stepLine.setStyle("-fx-font-size: 16px; -fx-font-weight: bold;");
        note.getStyleClass().add("muted");
        note.setId("compare-note");
        note.setWrapText(true);
        categories = new DataTable("Categories", List.of(
                new DataTable.Column("category", DataTable.Kind.TEXT, 110),
                new DataTable.Column("baseline", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("this", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("Δ", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("change", DataTable.Kind.TEXT, 70)));
        names = new DataTable("Names that changed most", List.of(
                new DataTable.Column("name", DataTable.Kind.TEXT, 380),
                new DataTable.Column("category", DataTable.Kind.TEXT, 90),
                new DataTable.Column("baseline", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("this", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("Δ", DataTable.Kind.DURATION_NS, 95),
                new DataTable.Column("change", DataTable.Kind.TEXT, 70)));
        String empty = "Choose a baseline above: another open capture of the same job (before/after a change).";
        categories.setPlaceholder(empty);
        names.setPlaceholder(empty);
        categories.setPrefWidth(500);
        categories.setMinWidth(480);
        HBox tables = new HBox(10, categories, names);
        HBox.setHgrow(names, Priority.ALWAYS);
        VBox.setVgrow(tables, Priority.ALWAYS);
        VBox body = new VBox(8, stepLine, note, tables);
        body.setPadding(new Insets(10));
        setTop(bar);
        setCenter(body);
        stepLine.setText("No baseline chosen.");
        sceneProperty().addListener(o -> refreshChoices());
    }

    /** The other open captures (this one excluded). */
    void refreshChoices() {
        CaptureSession chosen = baseline.getValue();
        List<CaptureSession> others = new ArrayList<>();
        for (CaptureSession s : openSessions.get()) {
            if (s != session) {
                others.add(s);
            }
        }
        baseline.getItems().setAll(others);
        if (chosen != null && others.contains(chosen)) {
            baseline.setValue(chosen);
        }
        baseline.setDisable(others.isEmpty());
    }

    void compareWith(CaptureSession other) {
        refreshChoices();
        baseline.setValue(other);
        compare();
    }

    private void compare() {
        CaptureSession base = baseline.getValue();
        if (base == null) {
            return;
        }
        int gen = ++generation;
        stepLine.setText("Reading…");
        base.query(() -> CaptureComparison.side(base)).thenCombine(
                session.query(() -> CaptureComparison.side(session)),
                (b, c) -> CaptureComparison.compare(b, c, 200)).whenComplete((r, e) -> Platform.runLater(() -> {
                    if (gen != generation) {
                        return;
                    }
                    if (e != null) {
                        stepLine.setText("Could not compare: " + ErrorText.of(e));
                        return;
                    }
                    show(r);
                }));
    }

    private void show(CaptureComparison.Result r) {
        result = r;
        CaptureComparison.Side b = r.baseline();
        CaptureComparison.Side c = r.candidate();
        if (b.steps() > 0 && c.steps() > 0) {
            stepLine.setText(String.format("Mean step %s → %s (%s)", Units.duration(b.meanStepNs()),
                    Units.duration(c.meanStepNs()), change(r.stepChange())));
            note.setText(String.format(Locale.ROOT, "Per step: baseline %s has %d steps, this capture %d. Times below are"
                    + " per step (total ÷ steps), so runs of different length compare.", b.title(), b.steps(), c.steps()));
        } else {
            stepLine.setText(String.format("Span %s → %s (%s)", Units.duration(b.spanNs()), Units.duration(c.spanNs()),
                    change(b.spanNs() == 0 ? Double.NaN : (c.spanNs() - b.spanNs()) / (double) b.spanNs())));
            note.setText((b.steps() == 0 ? b.title() : c.title()) + " has no steps, so times below are capture totals,"
                    + " not per step.");
        }
        categories.setPlaceholder("Neither capture has slices.");
        names.setPlaceholder("No names to compare.");
        categories.setRows(rows(r.categories(), false));
        names.setRows(rows(r.names(), true));
    }

    private static List<Object[]> rows(List<CaptureComparison.Delta> deltas, boolean withCategory) {
        List<Object[]> out = new ArrayList<>();
        for (CaptureComparison.Delta d : deltas) {
            long base = Math.round(d.baselineNs());
            long cand = Math.round(d.candidateNs());
            out.add(withCategory ? new Object[] {d.name(), d.category().label, base, cand, cand - base, change(d.change())}
                    : new Object[] {d.name(), base, cand, cand - base, change(d.change())});
        }
        return out;
    }

    /** +12 %, −33 %, "new" when the baseline had none. */
    static String change(double fraction) {
        if (Double.isNaN(fraction)) {
            return "new";
        }
        double p = fraction * 100;
        String s = Math.abs(p) >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f %%", Math.abs(p))
                : String.format(Locale.ROOT, "%.1f %%", Math.abs(p));
        return (p > 0 ? "+" : p < 0 ? "−" : "±") + s;
    }

    CaptureComparison.Result result() {
        return result;
    }

    Label stepLine() {
        return stepLine;
    }

    DataTable namesTable() {
        return names;
    }

    ComboBox<CaptureSession> baselineBox() {
        return baseline;
    }
}
