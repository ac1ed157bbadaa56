package dev.throughline.app.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;

/** Starts the workbench window (the FX runtime needs a display) and returns when it is closed. */
public final class Workbench {
    private static volatile List<Path> initial = List.of();

    private Workbench() {
    }

    /** Blocks until the window closes; opens {@code files} in tabs first. */
    public static void launch(List<Path> files) {
        initial = List.copyOf(files);
        Application.launch(App.class);
    }

    /** The JavaFX application; public for the FX launcher only (Main must not extend Application). */
    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            Platform.setImplicitExit(true);
            MainWindow window = new MainWindow(stage);
            stage.show();
            for (Path p : initial) {
                window.open(p);
            }
        }
    }
}
