package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A sortable, filterable table of rows of values: numbers right-aligned with units chosen per value,
 * share columns drawn as bars inside the cells, the exact value in each cell's tooltip, and Ctrl+C
 * copying the selected rows (all rows when none is selected) as TSV with raw numbers.
 */
public final class DataTable extends VBox {
    /** How a column shows its values. */
    public enum Kind { TEXT, COUNT, DURATION_NS, SHARE, NUMBER }

    public record Column(String title, Kind kind, double width) {
    }

    private final List<Column> columns;
    private final ObservableList<Object[]> all = FXCollections.observableArrayList();
    private final FilteredList<Object[]> filtered = new FilteredList<>(all, r -> true);
    private final TableView<Object[]> table = new TableView<>();
    private final TextField filter = new TextField();
    private final Label count = new Label();

    public DataTable(String title, List<Column> columns) {
        this.columns = List.copyOf(columns);
        getStyleClass().add("data-table");
        Label heading = new Label(title);
        heading.getStyleClass().add("section-title");
        filter.setPromptText("filter rows (name contains…)");
        filter.setTooltip(new Tooltip("Show only rows whose text contains this (case-insensitive)"));
        filter.setPrefColumnCount(28);
        filter.textProperty().addListener((o, a, text) -> {
            String needle = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            filtered.setPredicate(row -> needle.isEmpty() || matches(row, needle));
            updateCount();
        });
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        count.getStyleClass().add("muted");
        heading.setMinWidth(Region.USE_PREF_SIZE); // the title and the row count are never cut: the filter gives way
        count.setMinWidth(Region.USE_PREF_SIZE);
        filter.setMinWidth(90);
        HBox bar = new HBox(10, heading, grow, count, filter);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 6, 0));

        for (int i = 0; i < columns.size(); i++) {
            table.getColumns().add(column(i, columns.get(i)));
        }
        SortedList<Object[]> sorted = new SortedList<>(filtered);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No rows"));
        KeyCombination copy = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
        table.setOnKeyPressed(e -> {
            if (copy.match(e)) {
                copyTsv();
                e.consume();
            }
        });
        Tooltip.install(table, new Tooltip("Click a header to sort · Ctrl+C copies the selected rows as TSV"));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, table);
        setPadding(new Insets(10));
    }

    public TableView<Object[]> table() {
        return table;
    }

    public TextField filterField() {
        return filter;
    }

    public void setRows(List<Object[]> rows) {
        all.setAll(rows);
        updateCount();
    }

    public void setPlaceholder(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("empty-state");
        table.setPlaceholder(l);
    }

    private void updateCount() {
        count.setText(filtered.size() == all.size() ? String.format("%,d rows", all.size())
                : String.format("%,d of %,d rows", filtered.size(), all.size()));
    }

    private boolean matches(Object[] row, String needle) {
        for (int i = 0; i < row.length; i++) {
            if (columns.get(i).kind() == Kind.TEXT && row[i] != null
                    && row[i].toString().toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** The selected rows (or all shown rows) as tab-separated values with a header line; numbers unformatted. */
    public String tsv() {
        List<Object[]> rows = new ArrayList<>(table.getSelectionModel().getSelectedItems());
        if (rows.isEmpty()) {
            rows = new ArrayList<>(table.getItems());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            sb.append(i == 0 ? "" : "\t").append(c.title());
            if (c.kind() == Kind.DURATION_NS) {
                sb.append(" (ns)");
            } else if (c.kind() == Kind.SHARE) {
                sb.append(" (fraction)");
            }
        }
        sb.append('\n');
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String v = row[i] == null ? "" : row[i].toString().replace('\t', ' ').replace('\n', ' ');
                sb.append(i == 0 ? "" : "\t").append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public void copyTsv() {
        ClipboardContent content = new ClipboardContent();
        content.putString(tsv());
        Clipboard.getSystemClipboard().setContent(content);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private TableColumn<Object[], Object> column(int index, Column spec) {
        TableColumn<Object[], Object> col = new TableColumn<>(spec.title());
        col.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue()[index]));
        col.setPrefWidth(spec.width());
        if (spec.kind() != Kind.TEXT) {
            col.getStyleClass().add("numeric");
            col.setComparator((Comparator) Comparator.nullsFirst(Comparator.comparingDouble(v -> ((Number) v).doubleValue())));
        } else {
            col.setComparator((Comparator) Comparator.nullsFirst(Comparator.comparing(Object::toString)));
        }
        col.setCellFactory(c -> new ValueCell(spec.kind()));
        return col;
    }

    static String format(Kind kind, Object v) {
        if (v == null) {
            return "";
        }
        return switch (kind) {
            case TEXT -> v.toString();
            case COUNT -> String.format("%,d", ((Number) v).longValue());
            case DURATION_NS -> Units.duration(((Number) v).longValue());
            case SHARE -> Units.percent(((Number) v).doubleValue());
            case NUMBER -> v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v.toString();
        };
    }

    private static final class ValueCell extends TableCell<Object[], Object> {
        private final Kind kind;
        private final Region bar = new Region();
        private final Label text = new Label();
        private final StackPane graphic = new StackPane();
        /** Made on the first hover: a Tooltip per cell is a popup window, and a table makes hundreds of cells. */
        private Tooltip tip;
        private String exact;

        ValueCell(Kind kind) {
            this.kind = kind;
            setOnMouseEntered(e -> {
                if (exact != null && tip == null) {
                    tip = new Tooltip(exact);
                    setTooltip(tip);
                }
            });
            if (kind != Kind.TEXT) {
                setAlignment(Pos.CENTER_RIGHT);
                getStyleClass().add("numeric-cell");
            }
            if (kind == Kind.SHARE) {
                bar.getStyleClass().add("share-bar");
                bar.setMaxWidth(Region.USE_PREF_SIZE);
                StackPane.setAlignment(bar, Pos.CENTER_LEFT);
                StackPane.setAlignment(text, Pos.CENTER_RIGHT);
                graphic.getChildren().addAll(bar, text);
                graphic.setMinWidth(0);
                setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            }
        }

        @Override
        protected void updateItem(Object item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                exact = null;
                if (tip != null) {
                    setTooltip(null);
                    tip = null;
                }
                return;
            }
            String shown = format(kind, item);
            exact = switch (kind) {
                case DURATION_NS -> String.format("%,d ns", ((Number) item).longValue());
                case SHARE -> String.format(Locale.ROOT, "%.4f %%", ((Number) item).doubleValue() * 100);
                default -> item.toString();
            };
            if (tip != null) {
                tip.setText(exact);
            }
            if (kind == Kind.SHARE) {
                text.setText(shown);
                double f = Math.max(0, Math.min(1, ((Number) item).doubleValue()));
                bar.prefWidthProperty().bind(widthProperty().subtract(14).multiply(f));
                setGraphic(graphic);
                setText(null);
            } else {
                setText(shown);
            }
        }
    }
}
