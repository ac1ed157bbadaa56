package dev.throughline.app.capture;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/**
 * Points {@code throughline.home} (where {@code record} finds the Python agent) at the project root for
 * one test, and puts the previous value back after it. Use with {@code @ExtendWith(ProjectHome.class)}.
 */
final class ProjectHome implements BeforeEachCallback, AfterEachCallback {
    /** The project root (surefire runs in app/). */
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final String KEY = "throughline.home";
    private String saved;

    @Override
    public void beforeEach(ExtensionContext context) {
        saved = System.getProperty(KEY);
        System.setProperty(KEY, HOME.toString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (saved == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, saved);
        }
    }
}
