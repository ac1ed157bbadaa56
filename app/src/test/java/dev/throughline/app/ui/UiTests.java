package dev.throughline.app.ui;

import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every workbench test sets up and tears down: the window at a fixed size, and its temporary files. */
final class UiTests {
    private UiTests() {
    }

    /** The workbench window, 1260 × 780 at the screen's corner, shown. */
    static MainWindow showWindow(Stage stage) {
        MainWindow window = new MainWindow(stage);
        stage.setWidth(1260);
        stage.setHeight(780);
        stage.setX(0);
        stage.setY(0);
        stage.show();
        return window;
    }

    /** Deletes a folder and everything in it (a test's temporary captures). */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
