package dev.throughline.app.ui;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.prefs.Preferences;

/**
 * What survives a restart besides the theme and the recent files: the window's bounds and whether it was maximized,
 * and the last view shown for each capture (by the capture's path). A null store (tests, no preferences backend)
 * remembers nothing.
 */
final class WindowState {
    /** The window's place and size. */
    record Bounds(double x, double y, double width, double height, boolean maximized) {
    }

    private final Preferences prefs;

    WindowState(Preferences prefs) {
        this.prefs = prefs;
    }

    void saveBounds(Bounds b) {
        if (prefs == null || b.width() <= 0 || b.height() <= 0) {
            return;
        }
        prefs.putDouble("window.x", b.x());
        prefs.putDouble("window.y", b.y());
        prefs.putDouble("window.width", b.width());
        prefs.putDouble("window.height", b.height());
        prefs.putBoolean("window.maximized", b.maximized());
    }

    Optional<Bounds> bounds() {
        if (prefs == null || prefs.getDouble("window.width", -1) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Bounds(prefs.getDouble("window.x", 0), prefs.getDouble("window.y", 0),
                prefs.getDouble("window.width", 0), prefs.getDouble("window.height", 0),
                prefs.getBoolean("window.maximized", false)));
    }

    void saveLastView(Path capture, String view) {
        if (prefs != null && view != null) {
            prefs.put(viewKey(capture), view);
        }
    }

    Optional<String> lastView(Path capture) {
        return prefs == null ? Optional.empty() : Optional.ofNullable(prefs.get(viewKey(capture), null));
    }

    /** Preferences keys are at most 80 characters: a capture is keyed by a digest of its absolute path. */
    static String viewKey(Path capture) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    capture.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return "view." + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
