package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import java.util.ArrayList;
import java.util.List;

/**
 * The timeline's bottom panel while a range is selected: the range and its duration, per-category time
 * inside it, and the slice names with the most time inside it. "Flame graph of this range" opens the
 * Flame tab restricted to the range.
 */
final class RangeSummaryPane extends VBox {
    private final Label title = new Label();
    private final DataTable categories;
    private final DataTable names;
    private final Button flame = new Button("Flame graph of this range ▸");
    private final Button clear = new Button("Clear (Esc)");
    private RangeQuery.RangeSummary summary;

    RangeSummaryPane() {
        getStyleClass().add("range-summary");
        setId("range-summary");
        title.getStyleClass().add("section-title");
        title.setId("range-title");
        flame.setId("range-flame");
        flame.setTooltip(new Tooltip("CPU samples of this range only, as a flame graph"));
        clear.setId("range-clear");
        Label hint = new Label("time inside the range · nested slices each count");
        hint.setTooltip(new Tooltip("Each slice counts its part inside the range. Nested slices each count, and the"
                + " share is of the range's duration, so several threads can add up to more than 100 %."));
        hint.getStyleClass().add("muted");
        title.setMinWidth(Region.USE_PREF_SIZE);
        flame.setMinWidth(Region.USE_PREF_SIZE);
        clear.setMinWidth(Region.USE_PREF_SIZE);
        HBox head = new HBox(10, title, flame, clear, hint);
        head.setAlignment(Pos.CENTER_LEFT);
        categories = new DataTable("Categories", List.of(
                new DataTable.Column("category", DataTable.Kind.TEXT, 120),
                new DataTable.Column("slices", DataTable.Kind.COUNT, 70),
                new DataTable.Column("time", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("of range", DataTable.Kind.SHARE, 120)));
        names = new DataTable("Top names in the range", List.of(
                new DataTable.Column("name", DataTable.Kind.TEXT, 360),
                new DataTable.Column("category", DataTable.Kind.TEXT, 90),
                new DataTable.Column("slices", DataTable.Kind.COUNT, 70),
                new DataTable.Column("time", DataTable.Kind.DURATION_NS, 90),
                new DataTable.Column("of range", DataTable.Kind.SHARE, 120)));
        categories.setPlaceholder("Reading…");
        names.setPlaceholder("Reading…");
        swatches(categories);
        categories.setPrefWidth(480);
        categories.setMinWidth(480);
        HBox tables = new HBox(10, categories, names);
        HBox.setHgrow(names, Priority.ALWAYS);
        VBox.setVgrow(tables, Priority.ALWAYS);
        getChildren().addAll(head, tables);
        setSpacing(6);
        setPadding(new Insets(6, 10, 8, 10));
        setPrefHeight(250);
        setMinHeight(200);
    }

    /** The category column shows the category's colour, as on the timeline. */
    @SuppressWarnings("unchecked")
    private static void swatches(DataTable t) {
        ((javafx.scene.control.TableColumn<Object[], Object>) t.table().getColumns().get(0)).setCellFactory(
                col -> new javafx.scene.control.TableCell<>() {
                    @Override
                    protected void updateItem(Object item, boolean empty) {
                        super.updateItem(item, empty);
                        setText(empty || item == null ? null : item.toString());
                        setGraphic(empty || item == null ? null : new Rectangle(10, 10,
                                Palette.of(dev.throughline.storage.Category.byLabel(item.toString()))));
                    }
                });
    }

    void reading(TimelineView.Range r, long spanStartRel) {
        summary = null; // the previous range's totals no longer apply
        title.setText(String.format("Range %s – %s  (%s)", Units.duration(Math.round(r.startNs() - spanStartRel)),
                Units.duration(Math.round(r.endNs() - spanStartRel)), Units.duration(Math.round(r.width()))));
        categories.setPlaceholder("Reading…");
        names.setPlaceholder("Reading…");
        categories.setRows(List.of());
        names.setRows(List.of());
    }

    void show(RangeQuery.RangeSummary s) {
        summary = s;
        double width = Math.max(1, s.widthNs());
        List<Object[]> cats = new ArrayList<>();
        for (RangeQuery.CategoryTotal c : s.categories()) {
            cats.add(new Object[] {c.category().label, c.count(), c.totalNs(), c.totalNs() / width});
        }
        List<Object[]> top = new ArrayList<>();
        for (RangeQuery.NameTotal n : s.names()) {
            top.add(new Object[] {n.name(), n.category().label, n.count(), n.totalNs(), n.totalNs() / width});
        }
        categories.setPlaceholder("No slices in this range.");
        names.setPlaceholder("No slices in this range.");
        categories.setRows(cats);
        names.setRows(top);
    }

    void error(String message) {
        categories.setPlaceholder(message);
        names.setPlaceholder(message);
    }

    RangeQuery.RangeSummary summary() {
        return summary;
    }

    Button flameButton() {
        return flame;
    }

    Button clearButton() {
        return clear;
    }

    Label title() {
        return title;
    }

    DataTable names() {
        return names;
    }
}
