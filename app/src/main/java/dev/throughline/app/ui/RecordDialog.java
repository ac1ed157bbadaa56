package dev.throughline.app.ui;

import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.recording.AttachRecording;
import dev.throughline.app.recording.CommandWords;
import dev.throughline.app.recording.LaunchRecording;
import dev.throughline.app.recording.LocalProcesses;
import dev.throughline.app.recording.Recording;
import dev.throughline.app.recording.RecordingError;
import dev.throughline.app.recording.RecordingRunner;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Record or attach from the workbench (Ctrl+R): the local JVM and Python processes ({@link LocalProcesses}, as
 * {@code throughline ps} lists them), attach to a JVM for a duration or launch a command with the agent, and the
 * output path. While it records: live counters every half second and Stop. The recording is the CLI's
 * ({@link LaunchRecording}, {@link AttachRecording}) run off the FX thread by a {@link RecordingRunner}; the new
 * capture is handed to {@code onCapture} (which opens it in a tab).
 */
final class RecordDialog {
    private static final long TICK_MS = 500;
    private static final List<String> FIELDS = List.of("elapsed", "processes", "steps", "events", "drops", "last step");

    private final Stage stage = new Stage();
    private final Consumer<Path> onCapture;
    private final TableView<LocalProcesses.Row> processes = new TableView<>();
    private final RadioButton attach = new RadioButton("Attach to the selected JVM for");
    private final RadioButton launch = new RadioButton("Launch a command:");
    private final Spinner<Integer> seconds = new Spinner<>(1, 3600, 10);
    private final TextField command = new TextField();
    private final Spinner<Integer> sampleHz = new Spinner<>(0, 10_000, 100);
    private final CheckBox torchProfiler = new CheckBox("torch profiler (CPU ops, CUDA kernels)");
    private final TextField output = new TextField();
    private final CheckBox overwrite = new CheckBox("overwrite");
    private final Button start = new Button("● Start");
    private final Button stop = new Button("■ Stop");
    private final Label state = new Label("Choose what to record.");
    private final Map<String, Label> live = new java.util.LinkedHashMap<>();
    private final VBox form;
    private RecordingRunner runner;
    private Path log;
    private String lastError;

    RecordDialog(Window owner, Consumer<Path> onCapture) {
        this.onCapture = onCapture;
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Record a capture");

        Label title = new Label("Record a capture");
        title.getStyleClass().add("capture-title");
        Label procTitle = new Label("Local processes (JVMs can be attached to; Python is profiled by launching it)");
        procTitle.getStyleClass().add("muted");
        processes.setId("record-processes");
        processes.setPrefHeight(170);
        processes.getColumns().add(column("pid", 80, r -> Long.toString(r.pid())));
        processes.getColumns().add(column("kind", 70, LocalProcesses.Row::kind));
        processes.getColumns().add(column("agent", 60, LocalProcesses.Row::agent));
        processes.getColumns().add(column("name", 470, LocalProcesses.Row::name));
        processes.setPlaceholder(new Label("Listing processes…"));
        processes.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null && r.isJvm()) {
                attach.setSelected(true);
            }
        });
        Button refresh = new Button("↻ Refresh");
        refresh.setId("record-refresh");
        refresh.setOnAction(e -> refresh());

        ToggleGroup mode = new ToggleGroup();
        attach.setToggleGroup(mode);
        launch.setToggleGroup(mode);
        attach.setId("record-attach");
        launch.setId("record-launch");
        launch.setSelected(true);
        seconds.setId("record-seconds");
        seconds.setEditable(true);
        seconds.setPrefWidth(90);
        command.setId("record-command");
        command.setPromptText("/usr/bin/python3 train.py --steps 30   (java -jar app.jar works too)");
        command.setTooltip(new Tooltip("Split as a shell would ('…' and \"…\" quote); run with the agent injected"));
        command.textProperty().addListener((o, a, b) -> launch.setSelected(true));
        HBox.setHgrow(command, Priority.ALWAYS);
        sampleHz.setId("record-sample-hz");
        sampleHz.setEditable(true);
        sampleHz.setPrefWidth(100);
        torchProfiler.setId("record-torch-profiler");
        output.setId("record-output");
        output.setText(defaultOutput().toString());
        HBox.setHgrow(output, Priority.ALWAYS);
        overwrite.setId("record-overwrite");
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> chooseOutput());

        GridPane options = new GridPane();
        options.setHgap(8);
        options.setVgap(8);
        options.add(attach, 0, 0);
        options.add(new HBox(6, seconds, new Label("seconds")), 1, 0);
        options.add(launch, 0, 1);
        options.add(command, 1, 1);
        Label hz = new Label("stack samples per second");
        options.add(new HBox(8, sampleHz, hz, torchProfiler), 1, 2);
        options.add(new Label("Output capture:"), 0, 3);
        options.add(new HBox(6, output, choose, overwrite), 1, 3);
        GridPane.setHgrow(command, Priority.ALWAYS);
        options.getColumnConstraints().addAll(new javafx.scene.layout.ColumnConstraints(),
                new javafx.scene.layout.ColumnConstraints(200, 600, Double.MAX_VALUE, Priority.ALWAYS, javafx.geometry.HPos.LEFT, true));
        ((HBox) options.getChildren().get(6)).setAlignment(Pos.CENTER_LEFT);

        HBox counters = new HBox(18);
        counters.setId("record-live");
        for (String f : FIELDS) {
            Label value = new Label("–");
            value.setId("live-" + f.replace(' ', '-'));
            value.getStyleClass().add("live-value");
            Label name = new Label(f);
            name.getStyleClass().add("muted");
            counters.getChildren().add(new VBox(0, value, name));
            live.put(f, value);
        }
        state.setId("record-state");
        state.setWrapText(true);
        start.setId("record-start");
        start.getStyleClass().add("accent");
        start.setDefaultButton(true);
        start.setOnAction(e -> startRecording());
        stop.setId("record-stop");
        stop.setDisable(true);
        stop.setOnAction(e -> stopRecording());
        Button close = new Button("Close");
        close.setOnAction(e -> stage.close());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, grow, start, stop, close);
        buttons.setAlignment(Pos.CENTER_LEFT);
        for (Button b : new Button[] {start, stop, close}) {
            b.setMinWidth(Region.USE_PREF_SIZE); // a long state line never squeezes them to "…"
        }

        form = new VBox(10, new HBox(10, procTitle, new Region(), refresh), processes, options);
        HBox.setHgrow(((HBox) form.getChildren().get(0)).getChildren().get(1), Priority.ALWAYS);
        ((HBox) form.getChildren().get(0)).setAlignment(Pos.CENTER_LEFT);
        Label liveTitle = new Label("Recording");
        liveTitle.getStyleClass().add("section-title");
        VBox root = new VBox(12, title, form, liveTitle, counters, state, buttons);
        root.setPadding(new Insets(16));
        root.getStyleClass().addAll("workbench", "record-dialog");
        Scene scene = new Scene(root, 900, 620);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().addAll(owner.getScene().getStylesheets());
            root.getStyleClass().setAll(owner.getScene().getRoot().getStyleClass()); // the theme class too
            root.getStyleClass().add("record-dialog");
        }
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> {
            if (runner != null) { // closing while recording stops it; the capture still opens
                stopRecording();
            }
        });
    }

    private static TableColumn<LocalProcesses.Row, String> column(String title, double width,
                                                                  java.util.function.Function<LocalProcesses.Row, String> value) {
        TableColumn<LocalProcesses.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        return c;
    }

    void show() {
        stage.show();
        stage.toFront();
        refresh();
    }

    Stage stage() {
        return stage;
    }

    /** The main window closes: a recording under way is stopped (its capture is still closed properly). */
    void closeWithWindow() {
        stopRecording();
        stage.close();
    }

    /** The message of the last error dialog (tests). */
    String lastError() {
        return lastError;
    }

    boolean recording() {
        return runner != null;
    }

    /** Lists processes off the FX thread (a JVM's attach listener may be asked whether it is recorded). */
    void refresh() {
        Thread t = new Thread(() -> {
            List<LocalProcesses.Row> rows = LocalProcesses.list();
            Platform.runLater(() -> {
                LocalProcesses.Row selected = processes.getSelectionModel().getSelectedItem();
                processes.setItems(FXCollections.observableArrayList(rows));
                processes.setPlaceholder(new Label("No JVM or Python process of this user is running."));
                if (selected != null) {
                    rows.stream().filter(r -> r.pid() == selected.pid()).findFirst()
                            .ifPresent(r -> processes.getSelectionModel().select(r));
                }
            });
        }, "throughline-ps");
        t.setDaemon(true);
        t.start();
    }

    private void chooseOutput() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Where to write the capture");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Captures", "*.tlcap"));
        Path current = Path.of(output.getText().strip());
        if (current.getParent() != null && Files.isDirectory(current.getParent())) {
            chooser.setInitialDirectory(current.getParent().toFile());
            chooser.setInitialFileName(current.getFileName().toString());
        }
        File f = chooser.showSaveDialog(stage);
        if (f != null) {
            output.setText(f.getAbsolutePath());
            overwrite.setSelected(f.exists()); // the chooser already asked whether to replace it
        }
    }

    private static Path defaultOutput() {
        return Path.of(System.getProperty("user.dir"), "record-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".tlcap");
    }

    private void startRecording() {
        Callable<Recording> starter;
        try {
            starter = starter();
        } catch (RecordingError e) {
            error(e.getMessage());
            return;
        }
        form.setDisable(true);
        start.setDisable(true);
        stop.setDisable(false);
        live.values().forEach(l -> l.setText("–"));
        state.setText("Starting…");
        runner = RecordingRunner.start(starter, new RecordingRunner.Listener() {
            @Override
            public void started(Recording recording) {
                String what = recording instanceof AttachRecording a ? "Attached to pid " + a.pid() + " (" + a.target() + ")"
                        : "Running " + command.getText().strip() + (log == null ? "" : " · its output: " + log);
                Platform.runLater(() -> {
                    state.setText(what);
                    refresh(); // the launched process appears in the list, with its agent
                });
            }

            @Override
            public void tick(RecordingRunner.LiveCounters counters) {
                Map<String, String> f = counters.fields();
                Platform.runLater(() -> live.forEach((k, label) -> label.setText(f.getOrDefault(k, "–"))));
            }

            @Override
            public void done(Path capture, CollectorStats stats, String why) {
                Platform.runLater(() -> finished(capture, why));
            }

            @Override
            public void failed(String message) {
                Platform.runLater(() -> {
                    idle();
                    state.setText("Not recorded.");
                    error(message);
                });
            }
        }, TICK_MS);
    }

    /** Checks the form and returns what starts the recording (on the runner's thread). */
    private Callable<Recording> starter() throws RecordingError {
        String out = output.getText().strip();
        if (out.isEmpty()) {
            throw new RecordingError("Give the capture's path (Output capture).");
        }
        Path path = Path.of(out).toAbsolutePath();
        if (Files.isDirectory(path)) {
            throw new RecordingError(path + " is a folder; give a capture file name (…/name.tlcap)");
        }
        if (Files.exists(path) && !overwrite.isSelected()) {
            throw new RecordingError(path + " already exists: tick \"overwrite\" or choose another name");
        }
        boolean force = overwrite.isSelected();
        if (attach.isSelected()) {
            LocalProcesses.Row r = processes.getSelectionModel().getSelectedItem();
            if (r == null) {
                throw new RecordingError("Select the JVM to attach to in the list of processes.");
            }
            if (!r.isJvm()) {
                throw new RecordingError("pid " + r.pid() + " is a Python process: Throughline profiles Python by"
                        + " launching it (Launch a command), not by attaching.");
            }
            long durationNs = seconds.getValue() * 1_000_000_000L;
            int hz = sampleHz.getValue();
            long intervalNs = hz > 0 ? 1_000_000_000L / hz : 10_000_000L;
            String event = hz > 0 ? "cpu" : "off";
            return () -> AttachRecording.start(r.pid(), durationNs, intervalNs, event, "auto", path, force);
        }
        List<String> argv = CommandWords.split(command.getText());
        if (argv.isEmpty()) {
            throw new RecordingError("Type the command to launch, e.g. /usr/bin/python3 train.py --steps 30");
        }
        LaunchRecording.Options options = new LaunchRecording.Options(argv, path, force, sampleHz.getValue(), 10,
                torchProfiler.isSelected());
        try {
            log = Files.createTempFile("throughline-record-", ".log");
        } catch (IOException e) {
            throw new RecordingError("cannot create a file for the command's output: " + e.getMessage());
        }
        Path logFile = log;
        return () -> {
            StringWriter warnings = new StringWriter();
            LaunchRecording rec = LaunchRecording.start(options, ProcessBuilder.Redirect.appendTo(logFile.toFile()),
                    new PrintWriter(warnings, true));
            if (!warnings.toString().isBlank()) {
                Files.writeString(logFile, warnings.toString(), java.nio.file.StandardOpenOption.APPEND);
            }
            return rec;
        };
    }

    private void stopRecording() {
        if (runner != null) {
            state.setText("Stopping… (the capture is being closed)");
            stop.setDisable(true);
            runner.stop();
        }
    }

    private void finished(Path capture, String why) {
        idle();
        state.setText("Recorded " + capture.getFileName() + " (" + why + ")");
        output.setText(defaultOutput().toString());
        stage.close();
        onCapture.accept(capture);
    }

    private void idle() {
        runner = null;
        form.setDisable(false);
        start.setDisable(false);
        stop.setDisable(true);
    }

    private void error(String message) {
        lastError = message;
        Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        alert.initOwner(stage);
        alert.setHeaderText("Could not record");
        alert.setTitle("Record");
        alert.getDialogPane().setId("record-error");
        alert.getDialogPane().setMinWidth(520);
        alert.show();
    }
}
