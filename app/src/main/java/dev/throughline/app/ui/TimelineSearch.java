package dev.throughline.app.ui;

import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The timeline's slice search: its field and count label, the query it runs on the capture's db thread
 * ({@link SliceSearch}), and which match is current. The timeline draws what {@link #needle()} says and shows what
 * {@link #jump} lands on.
 */
final class TimelineSearch {
    private final TextField field = new TextField();
    private final Label count = new Label();
    private final CaptureSession session;
    private final Runnable redraw;
    private final Consumer<SliceSearch.Match> show;
    private SliceSearch.Result result;
    private int index = -1;
    /** Increments per query, so that an older query's answer arriving late is dropped. */
    private int generation;

    /** {@code onEscape}: where the focus goes when Esc clears the field. */
    TimelineSearch(CaptureSession session, Runnable redraw, Consumer<SliceSearch.Match> show, Runnable onEscape) {
        this.session = session;
        this.redraw = redraw;
        this.show = show;
        field.setId("timeline-search");
        field.setPromptText("search slices (Ctrl+F)");
        field.setPrefColumnCount(16);
        field.setTooltip(new Tooltip("Slices whose name contains the text. Enter: next match, Shift+Enter: previous,"
                + " Esc: clear"));
        field.textProperty().addListener(o -> run());
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                jump(e.isShiftDown() ? -1 : 1);
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                field.clear();
                onEscape.run();
                e.consume();
            }
        });
        count.setId("timeline-search-count");
        count.getStyleClass().add("muted");
        count.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
    }

    TextField field() {
        return field;
    }

    Label count() {
        return count;
    }

    SliceSearch.Result result() {
        return result;
    }

    int index() {
        return index;
    }

    void focus() {
        field.requestFocus();
        field.selectAll();
    }

    /** The typed text, lower case, or null when the field is empty: slices whose name contains it are highlighted. */
    String needle() {
        String t = field.getText() == null ? "" : field.getText().strip();
        return t.isEmpty() ? null : t.toLowerCase(Locale.ROOT);
    }

    private void run() {
        int gen = ++generation;
        String text = field.getText() == null ? "" : field.getText().strip();
        index = -1;
        if (text.isEmpty()) {
            result = null;
            count.setText("");
            redraw.run();
            return;
        }
        count.setText("searching…");
        redraw.run();
        session.query(() -> SliceSearch.find(session, text)).whenComplete((r, e) -> Platform.runLater(() -> {
            if (gen != generation) {
                return;
            }
            if (e != null) {
                count.setText("search failed: " + ErrorText.of(e));
                return;
            }
            result = r;
            updateCount();
        }));
    }

    private void updateCount() {
        SliceSearch.Result r = result;
        if (r == null) {
            count.setText("");
        } else if (r.matches().isEmpty()) {
            count.setText("no matches");
        } else {
            String total = String.format("%,d%s", r.total(), r.truncated() ? " (first " + r.matches().size() + ")" : "");
            count.setText(index < 0 ? total + " matches · Enter: next" : String.format("%,d of %s", index + 1, total));
        }
    }

    /** Moves to the next ({@code +1}) or previous ({@code -1}) match and shows it. */
    void jump(int direction) {
        SliceSearch.Result r = result;
        if (r == null || r.matches().isEmpty()) {
            return;
        }
        int n = r.matches().size();
        index = index < 0 ? (direction > 0 ? 0 : n - 1) : Math.floorMod(index + direction, n);
        show.accept(r.matches().get(index));
        updateCount();
        redraw.run();
    }
}
