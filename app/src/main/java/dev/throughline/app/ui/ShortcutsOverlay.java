package dev.throughline.app.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The "?" overlay: every keyboard and mouse shortcut on one card; Esc, ? or a click closes it. */
final class ShortcutsOverlay extends StackPane {
    private static final String[][] SHORTCUTS = {
        {"Ctrl+O", "open a capture or a trace (or drop files on the window)"},
        {"Ctrl+W", "close the current capture"},
        {"?  /  F1", "show or hide this help"},
        {"Ctrl+R", "record: launch a command with the agent, or attach to a JVM"},
        {"W / S", "timeline: zoom in / out"},
        {"A / D", "timeline: pan left / right"},
        {"F", "timeline: fit the selected range, or the whole capture"},
        {"Esc", "timeline: clear the selection, then the range · flame: up one frame · close this help"},
        {"mouse wheel", "timeline: zoom at the cursor (Shift+wheel scrolls the tracks)"},
        {"drag", "timeline: pan"},
        {"Shift+drag", "timeline: select a range (or drag on the time ruler); its totals show below"},
        {"click", "timeline: select a slice and show its details · flame: zoom into a frame"},
        {"Ctrl+F  or  /", "timeline: search slices · flame: highlight frames"},
        {"Enter / Shift+Enter", "timeline search: next / previous match"},
        {"Ctrl+C", "tables: copy the selected rows (or all) as TSV"},
        {"Ctrl+Enter", "SQL: run the query"},
    };

    ShortcutsOverlay() {
        getStyleClass().add("overlay");
        setId("shortcuts-overlay");
        Label title = new Label("Shortcuts");
        title.getStyleClass().add("section-title");
        GridPane grid = new GridPane();
        grid.setHgap(18);
        grid.setVgap(6);
        for (int i = 0; i < SHORTCUTS.length; i++) {
            Label key = new Label(SHORTCUTS[i][0]);
            key.getStyleClass().add("kbd");
            Label what = new Label(SHORTCUTS[i][1]);
            grid.addRow(i, key, what);
        }
        Label close = new Label("Esc or click to close");
        close.getStyleClass().add("muted");
        VBox card = new VBox(12, title, grid, close);
        card.getStyleClass().add("overlay-card");
        card.setPadding(new Insets(20, 26, 20, 26));
        card.setMaxSize(VBox.USE_PREF_SIZE, VBox.USE_PREF_SIZE);
        getChildren().add(card);
        setAlignment(Pos.CENTER);
        setOnMouseClicked(e -> setVisible(false));
    }
}
