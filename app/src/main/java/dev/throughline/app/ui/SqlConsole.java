package dev.throughline.app.ui;

import dev.throughline.app.report.Units;
import dev.throughline.storage.model.QueryResult;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.geometry.Orientation;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** Read-only SQL on the open capture: results in a table, a few examples to start from, writes refused. */
final class SqlConsole extends VBox {
    static final int MAX_ROWS = 10_000;

    /** Example queries: a title and the SQL. */
    static final List<String[]> EXAMPLES = List.of(
            new String[] {"Top kernels by time", """
                    SELECT s.value AS kernel, n.count, n.total_ns, n.total_ns / n.count AS mean_ns
                    FROM summary_name n JOIN string s ON s.id = n.name_id
                    WHERE n.category = 9 ORDER BY n.total_ns DESC LIMIT 20"""},
            new String[] {"Steps and their parts", """
                    SELECT step, end_ns - start_ns AS dur_ns, kernel_ns, memcpy_ns, runtime_ns,
                           dataloader_ns, cpu_exec_ns, other_ns
                    FROM summary_step ORDER BY step"""},
            new String[] {"Longest slices with arguments", """
                    SELECT sl.id, st.value AS name, c.name AS category, sl.dur_ns, args_json(a.data) AS args
                    FROM slice sl JOIN string st ON st.id = sl.name_id JOIN category c ON c.id = sl.category
                    LEFT JOIN arg_set a ON a.id = sl.args_id
                    ORDER BY sl.dur_ns DESC LIMIT 50"""},
            new String[] {"Time per category", """
                    SELECT c.name AS category, sc.count, sc.total_ns
                    FROM summary_category sc JOIN category c ON c.id = sc.category
                    ORDER BY sc.total_ns DESC"""});

    private final CaptureSession session;
    private final TextArea editor = new TextArea();
    private final TableView<List<Object>> results = new TableView<>();
    private final Label status = new Label("Ctrl+Enter runs the query. The capture is opened read-only.");
    private final Button run = new Button("Run ▶");

    SqlConsole(CaptureSession session) {
        this.session = session;
        getStyleClass().add("sql-console");
        setSpacing(8);
        setPadding(new Insets(10));
        editor.setId("sql-editor");
        editor.getStyleClass().add("code");
        editor.setPrefRowCount(6);
        editor.setText(EXAMPLES.get(0)[1]);
        editor.setPromptText("SELECT … FROM slice / summary_name / summary_step … (tables: docs/capture-format.md)");
        KeyCombination runKey = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
        editor.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (runKey.match(e)) {
                run();
                e.consume();
            }
        });
        run.setId("sql-run");
        run.setDefaultButton(false);
        run.getStyleClass().add("accent");
        run.setTooltip(new Tooltip("Run the query (Ctrl+Enter); at most " + String.format("%,d", MAX_ROWS) + " rows"));
        run.setOnAction(e -> run());

        FlowPane examples = new FlowPane(6, 4);
        examples.setAlignment(Pos.CENTER_LEFT);
        Label ex = new Label("Examples:");
        ex.getStyleClass().add("muted");
        examples.getChildren().add(ex);
        for (String[] example : EXAMPLES) {
            Hyperlink link = new Hyperlink(example[0]);
            link.setTooltip(new Tooltip(example[1]));
            link.setOnAction(e -> {
                editor.setText(example[1]);
                run();
            });
            examples.getChildren().add(link);
        }
        HBox bar = new HBox(10, run, examples);
        HBox.setHgrow(examples, Priority.ALWAYS);
        bar.setAlignment(Pos.CENTER_LEFT);

        status.setId("sql-status");
        status.getStyleClass().add("muted");
        status.setWrapText(true);
        results.setPlaceholder(new Label("Run a query to see its rows here."));
        results.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        results.setId("sql-results");
        KeyCombination copy = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
        results.setOnKeyPressed(e -> {
            if (copy.match(e)) {
                copyTsv();
                e.consume();
            }
        });
        VBox top = new VBox(8, editor, bar);
        VBox bottom = new VBox(6, status, results);
        VBox.setVgrow(results, Priority.ALWAYS);
        VBox.setVgrow(editor, Priority.ALWAYS);
        SplitPane split = new SplitPane(top, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.22);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().add(split);
    }

    TextArea editor() {
        return editor;
    }

    Label status() {
        return status;
    }

    TableView<List<Object>> results() {
        return results;
    }

    void run() {
        String sql = editor.getText() == null ? "" : editor.getText().strip();
        if (sql.isEmpty()) {
            error("Nothing to run: type a SELECT statement, or click an example.");
            return;
        }
        run.setDisable(true);
        status.getStyleClass().remove("error-text");
        status.setText("Running…");
        long started = System.nanoTime();
        session.query(() -> session.reader().query(sql, MAX_ROWS)).whenComplete((r, e) -> Platform.runLater(() -> {
            run.setDisable(false);
            if (e != null) {
                error(message(sql, e));
                return;
            }
            show(r);
            status.setText(String.format("%,d row%s in %s%s", r.rows().size(), r.rows().size() == 1 ? "" : "s",
                    Units.duration(System.nanoTime() - started), r.rows().size() >= MAX_ROWS
                            ? " (stopped at " + String.format("%,d", MAX_ROWS) + " rows; add a LIMIT)" : ""));
        }));
    }

    private void error(String text) {
        status.setText(text);
        if (!status.getStyleClass().contains("error-text")) {
            status.getStyleClass().add("error-text");
        }
    }

    static String message(String sql, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage().replace('\n', ' ');
        String lower = msg.toLowerCase(Locale.ROOT);
        String verb = firstWord(sql);
        if (cause instanceof SQLException && (lower.contains("readonly") || lower.contains("read-only")
                || lower.contains("not authorized") || lower.contains("does not return resultset"))) {
            return "Refused: the capture is opened read-only, and " + verb + " would change it."
                    + " The console runs SELECT (and WITH … SELECT) statements only.";
        }
        return "SQL error: " + msg;
    }

    private static String firstWord(String sql) {
        String t = sql.strip();
        int sp = t.indexOf(' ');
        return (sp < 0 ? t : t.substring(0, sp)).toUpperCase(Locale.ROOT);
    }

    private void show(QueryResult r) {
        results.getColumns().clear();
        for (int i = 0; i < r.columns().size(); i++) {
            final int index = i;
            String name = r.columns().get(i);
            TableColumn<List<Object>, Object> col = new TableColumn<>(name);
            col.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue().get(index)));
            col.setComparator((a, b) -> {
                if (a instanceof Number x && b instanceof Number y) {
                    return Double.compare(x.doubleValue(), y.doubleValue());
                }
                return String.valueOf(a).compareTo(String.valueOf(b));
            });
            boolean nanos = name.toLowerCase(Locale.ROOT).endsWith("_ns");
            col.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(Object item, boolean empty) {
                    super.updateItem(item, empty);
                    if (empty) {
                        setText(null);
                        setTooltip(null);
                        return;
                    }
                    if (item instanceof Number n) {
                        setAlignment(Pos.CENTER_RIGHT);
                        setText(item instanceof Double d ? String.format(Locale.ROOT, "%.6g", d)
                                : String.format("%,d", n.longValue()));
                        setTooltip(nanos ? new Tooltip(Units.duration(n.longValue())) : null);
                    } else {
                        setAlignment(Pos.CENTER_LEFT);
                        setText(item == null ? "NULL" : item.toString());
                        setTooltip(item == null ? null : new Tooltip(item.toString()));
                    }
                }
            });
            int chars = name.length();
            for (int row = 0; row < Math.min(100, r.rows().size()); row++) {
                Object v = r.rows().get(row).get(index);
                chars = Math.max(chars, v == null ? 4 : v instanceof Number ? String.format("%,d", ((Number) v).longValue()).length()
                        : v.toString().length());
            }
            col.setPrefWidth(Math.max(70, Math.min(560, chars * 7.5 + 24)));
            results.getColumns().add(col);
        }
        results.setItems(FXCollections.observableArrayList(r.rows()));
    }

    private void copyTsv() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < results.getColumns().size(); i++) {
            sb.append(i == 0 ? "" : "\t").append(results.getColumns().get(i).getText());
        }
        sb.append('\n');
        List<List<Object>> rows = results.getSelectionModel().getSelectedItems().isEmpty() ? results.getItems()
                : results.getSelectionModel().getSelectedItems();
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                sb.append(i == 0 ? "" : "\t").append(row.get(i) == null ? "" : row.get(i).toString().replace('\t', ' ')
                        .replace('\n', ' '));
            }
            sb.append('\n');
        }
        ClipboardContent c = new ClipboardContent();
        c.putString(sb.toString());
        Clipboard.getSystemClipboard().setContent(c);
    }
}
