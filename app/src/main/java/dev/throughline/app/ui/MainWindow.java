package dev.throughline.app.ui;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.prefs.Preferences;

/**
 * The workbench window: toolbar, one tab per open capture, status bar with progress and cancel.
 * Files open from the command line, Ctrl+O, the recent list, or by dropping them on the window;
 * traces are imported off the FX thread; a file that cannot be read gets a dialog saying why.
 */
public final class MainWindow {
    private static final String CSS = "/dev/throughline/app/ui/workbench.css";
    private static final int RECENT = 10;

    private final Stage stage;
    private final BooleanProperty dark = new SimpleBooleanProperty(false);
    private final TabPane captures = new TabPane();
    private final StackPane center = new StackPane();
    private final VBox emptyState = new VBox(10);
    private final Label status = new Label();
    private final Label taskMessage = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final MenuButton recent = new MenuButton("Recent");
    private final ShortcutsOverlay help = new ShortcutsOverlay();
    private final List<OpenTask> running = new ArrayList<>();
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper();
    private final Preferences prefs = prefs();
    private final WindowState state = new WindowState(prefs);
    private Alert errorDialog;
    private RecordDialog recordDialog;
    private boolean closing;

    public MainWindow(Stage stage) {
        this.stage = stage;
        BorderPane root = new BorderPane();
        root.getStyleClass().add("workbench");
        root.setTop(toolbar());
        root.setBottom(statusBar());

        Label big = new Label("Open a capture or a trace");
        big.getStyleClass().add("empty-title");
        Label small = new Label("Ctrl+O, or drop .tlcap / Chrome / Kineto trace files (.json, .json.gz) on this window."
                + " Press ? for all shortcuts.");
        small.getStyleClass().add("muted");
        Button open = new Button("Open…");
        open.getStyleClass().add("accent");
        open.setOnAction(e -> chooseFiles());
        emptyState.getChildren().addAll(big, small, open);
        emptyState.setAlignment(Pos.CENTER);
        emptyState.getStyleClass().add("empty-pane");

        captures.setId("captures");
        captures.getStyleClass().add("capture-tabs");
        captures.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        captures.getTabs().addListener((javafx.collections.ListChangeListener<Tab>) c -> updateEmpty());
        captures.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> updateStatus());
        center.getChildren().addAll(emptyState, captures, help);
        help.setVisible(false);
        root.setCenter(center);
        updateEmpty();

        Scene scene = new Scene(root, 1480, 920);
        scene.getStylesheets().add(MainWindow.class.getResource(CSS).toExternalForm());
        installKeys(scene);
        installDrop(scene);
        dark.addListener((o, was, now) -> applyTheme(root));
        dark.set(prefs != null && prefs.getBoolean("dark", false));
        applyTheme(root);
        stage.setScene(scene);
        stage.setTitle("Throughline");
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        restoreBounds();
        stage.setOnHidden(e -> {
            saveBounds();
            closeAll();
        });
    }

    public Stage stage() {
        return stage;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    /** The message of the last error shown to the user (null before any). */
    public ReadOnlyStringProperty lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    /** True while files are being opened or imported. */
    public boolean busy() {
        return !running.isEmpty();
    }

    TabPane captures() {
        return captures;
    }

    CaptureView selectedView() {
        Tab t = captures.getSelectionModel().getSelectedItem();
        return t == null ? null : (CaptureView) t.getContent();
    }

    private Node toolbar() {
        Button open = new Button("◉ Open…");
        open.setId("open-button");
        open.setTooltip(new Tooltip("Open a capture (.tlcap) or a trace to import: Chrome / Kineto JSON, .json.gz (Ctrl+O)"));
        open.setOnAction(e -> chooseFiles());
        Button record = new Button("● Record…");
        record.setId("record-button");
        record.setTooltip(new Tooltip("Launch a command with the agent, or attach to a running JVM, and open the"
                + " capture when it ends (Ctrl+R)"));
        record.setOnAction(e -> showRecordDialog());
        recent.setTooltip(new Tooltip("Captures and traces opened before"));
        refreshRecent();
        Label brand = new Label("Throughline");
        brand.getStyleClass().add("brand");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label dropHint = new Label("drop files here to open them");
        dropHint.getStyleClass().add("muted");
        ToggleButton theme = new ToggleButton();
        theme.setId("theme-toggle");
        theme.selectedProperty().bindBidirectional(dark);
        theme.textProperty().bind(javafx.beans.binding.Bindings.when(dark).then("☀ Light").otherwise("☾ Dark"));
        theme.setTooltip(new Tooltip("Switch between the light and the dark theme"));
        Button helpButton = new Button("?");
        helpButton.setId("help-button");
        helpButton.setTooltip(new Tooltip("Keyboard and mouse shortcuts (?)"));
        helpButton.setOnAction(e -> toggleHelp());
        HBox bar = new HBox(8, brand, open, record, recent, grow, dropHint, theme, helpButton);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 12, 8, 12));
        bar.getStyleClass().add("app-toolbar");
        return bar;
    }

    /** The record / attach dialog (one per window, kept between uses). */
    void showRecordDialog() {
        if (recordDialog == null) {
            recordDialog = new RecordDialog(stage, this::open);
        }
        recordDialog.show();
    }

    RecordDialog recordDialog() {
        return recordDialog;
    }

    private Node statusBar() {
        status.setId("status");
        taskMessage.getStyleClass().add("muted");
        progress.setPrefWidth(180);
        cancel.setId("cancel-button");
        cancel.setTooltip(new Tooltip("Stop the import; nothing is left behind"));
        cancel.setOnAction(e -> List.copyOf(running).forEach(OpenTask::stop));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(10, status, grow, taskMessage, progress, cancel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 12, 4, 12));
        bar.getStyleClass().add("status-bar");
        showProgress(false);
        return bar;
    }

    private void showProgress(boolean on) {
        for (Node n : new Node[] {taskMessage, progress, cancel}) {
            n.setVisible(on);
            n.setManaged(on);
        }
    }

    private void installKeys(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseFiles);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), this::showRecordDialog);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), () -> {
            Tab t = captures.getSelectionModel().getSelectedItem();
            if (t != null) {
                closeTab(t);
            }
        });
        scene.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            boolean typing = scene.getFocusOwner() instanceof javafx.scene.control.TextInputControl;
            if ("?".equals(e.getCharacter()) && !typing) {
                toggleHelp();
                e.consume();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && help.isVisible()) {
                help.setVisible(false);
                e.consume();
            } else if (e.getCode() == KeyCode.F1) {
                toggleHelp();
                e.consume();
            }
        });
    }

    void toggleHelp() {
        help.setVisible(!help.isVisible());
        if (help.isVisible()) {
            help.requestFocus();
        }
    }

    boolean helpVisible() {
        return help.isVisible();
    }

    private void installDrop(Scene scene) {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                for (File f : e.getDragboard().getFiles()) {
                    open(f.toPath());
                }
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private void chooseFiles() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a capture or a trace");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Captures and traces", "*.tlcap", "*.json", "*.json.gz", "*.gz"),
                new FileChooser.ExtensionFilter("All files", "*"));
        String last = prefs == null ? null : prefs.get("lastDir", null);
        if (last != null && new File(last).isDirectory()) {
            chooser.setInitialDirectory(new File(last));
        }
        List<File> files = chooser.showOpenMultipleDialog(stage);
        if (files != null) {
            files.forEach(f -> open(f.toPath()));
        }
    }

    /** Opens (importing first when needed) {@code file} in a new tab; never blocks the FX thread. */
    public void open(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (Tab t : captures.getTabs()) {
            if (((CaptureView) t.getContent()).session().source().equals(abs)) {
                captures.getSelectionModel().select(t);
                return;
            }
        }
        OpenTask task = new OpenTask(abs);
        running.add(task);
        taskMessage.textProperty().bind(task.messageProperty());
        progress.progressProperty().bind(task.progressProperty());
        showProgress(true);
        task.setOnSucceeded(e -> {
            finished(task);
            addCapture(task.getValue());
            remember(abs);
        });
        task.setOnFailed(e -> {
            finished(task);
            Throwable ex = task.getException();
            if (ex instanceof CancellationException || task.wasStopped()) {
                status.setText("Import of " + abs.getFileName() + " cancelled; nothing was written.");
                return;
            }
            showError("Could not open " + abs.getFileName(), ErrorText.of(ex));
        });
        Thread t = new Thread(task, "open " + abs.getFileName());
        t.setDaemon(true);
        t.start();
    }

    private void finished(OpenTask task) {
        running.remove(task);
        if (running.isEmpty()) {
            taskMessage.textProperty().unbind();
            progress.progressProperty().unbind();
            showProgress(false);
        } else {
            OpenTask other = running.get(running.size() - 1);
            taskMessage.textProperty().bind(other.messageProperty());
            progress.progressProperty().bind(other.progressProperty());
        }
    }

    /** The last window bounds, when they still fit on a screen of this machine. */
    private void restoreBounds() {
        state.bounds().ifPresent(b -> {
            if (javafx.stage.Screen.getScreensForRectangle(b.x(), b.y(), b.width(), b.height()).isEmpty()) {
                return; // a screen that is gone: the default place is better than off-screen
            }
            stage.setX(b.x());
            stage.setY(b.y());
            stage.setWidth(b.width());
            stage.setHeight(b.height());
            stage.setMaximized(b.maximized());
        });
    }

    private void saveBounds() {
        state.saveBounds(new WindowState.Bounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                stage.isMaximized()));
    }

    private void addCapture(CaptureSession session) {
        CaptureView view = new CaptureView(session, dark, this::openSessions);
        // the view last shown for this capture comes back, and each change is remembered
        state.lastView(session.source()).ifPresent(view::showView);
        view.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                state.saveLastView(session.source(), now.getText());
            }
        });
        Tab tab = new Tab(session.title(), view);
        tab.setTooltip(new Tooltip(session.source().toString()));
        tab.setOnClosed(e -> session.close());
        captures.getTabs().add(tab);
        captures.getSelectionModel().select(tab);
        updateStatus();
    }

    /** Every open capture, in tab order (the Compare tab's baselines). */
    List<CaptureSession> openSessions() {
        List<CaptureSession> out = new java.util.ArrayList<>();
        for (Tab t : captures.getTabs()) {
            out.add(((CaptureView) t.getContent()).session());
        }
        return out;
    }

    private void closeTab(Tab t) {
        captures.getTabs().remove(t);
        ((CaptureView) t.getContent()).session().close();
    }

    private void closeAll() {
        closing = true;
        if (recordDialog != null) {
            recordDialog.closeWithWindow();
        }
        List.copyOf(running).forEach(OpenTask::stop);
        for (Tab t : List.copyOf(captures.getTabs())) {
            closeTab(t);
        }
    }

    /** An error as a dialog that says what happened (never a stack trace); the window stays usable. */
    void showError(String header, String message) {
        lastError.set(message);
        status.setText(header + ": " + message);
        if (errorDialog != null) {
            errorDialog.close();
        }
        Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        alert.initOwner(stage);
        alert.setTitle("Throughline");
        alert.setHeaderText(header);
        alert.getDialogPane().setId("error-dialog");
        alert.getDialogPane().getStylesheets().add(MainWindow.class.getResource(CSS).toExternalForm());
        alert.getDialogPane().getStyleClass().add(dark.get() ? "theme-dark" : "theme-light");
        Label hint = new Label("Throughline opens captures (.tlcap) and Chrome / Kineto trace JSON (.json, .json.gz).");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        Label text = new Label(message);
        text.setWrapText(true);
        text.setId("error-message");
        VBox content = new VBox(8, text, hint);
        content.setPrefWidth(520);
        alert.getDialogPane().setContent(content);
        errorDialog = alert;
        alert.show();
    }

    Alert errorDialog() {
        return errorDialog;
    }

    private void updateEmpty() {
        if (closing) {
            return;
        }
        boolean none = captures.getTabs().isEmpty();
        emptyState.setVisible(none);
        captures.setVisible(!none);
        stage.setTitle(none ? "Throughline" : "Throughline — " + captures.getSelectionModel().getSelectedItem().getText());
        updateStatus();
    }

    private void updateStatus() {
        if (closing) {
            return;
        }
        CaptureView v = selectedView();
        status.setText(v == null ? "No capture open" : v.statusLine());
        if (v != null) {
            stage.setTitle("Throughline — " + v.session().title());
        }
    }

    private void applyTheme(Node root) {
        root.getStyleClass().removeAll("theme-light", "theme-dark");
        root.getStyleClass().add(dark.get() ? "theme-dark" : "theme-light");
        if (prefs != null) {
            prefs.putBoolean("dark", dark.get());
        }
    }

    private void remember(Path file) {
        if (prefs == null) {
            return;
        }
        List<String> list = recentFiles();
        list.remove(file.toString());
        list.add(0, file.toString());
        prefs.put("recent", String.join("\n", list.subList(0, Math.min(RECENT, list.size()))));
        if (file.getParent() != null) {
            prefs.put("lastDir", file.getParent().toString());
        }
        refreshRecent();
    }

    private List<String> recentFiles() {
        List<String> out = new ArrayList<>();
        String s = prefs == null ? "" : prefs.get("recent", "");
        for (String line : s.split("\n")) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    private void refreshRecent() {
        recent.getItems().clear();
        for (String f : recentFiles()) {
            MenuItem item = new MenuItem(f);
            item.setOnAction(e -> open(Path.of(f)));
            recent.getItems().add(item);
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    /** User preferences (theme, recent files); none when the store is unavailable or disabled for tests. */
    private static Preferences prefs() {
        if (Boolean.getBoolean("throughline.ui.noPrefs")) {
            return null;
        }
        try {
            return Preferences.userRoot().node("dev/throughline/workbench");
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /** Runs {@code r} on the FX thread (now, when already on it). */
    static void fx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
