package dev.throughline.app.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowStateTest {
    /** A node of its own under the user root, removed after the test. */
    private final Preferences node = Preferences.userRoot().node("dev/throughline/test/" + UUID.randomUUID());

    @AfterEach
    void remove() throws Exception {
        node.removeNode();
    }

    @Test
    void boundsAndTheLastViewPerCaptureSurviveANewInstance() {
        WindowState first = new WindowState(node);
        assertEquals(Optional.empty(), first.bounds());
        first.saveBounds(new WindowState.Bounds(40, 30, 1200, 800, true));
        first.saveLastView(Path.of("/data/a.tlcap"), "Timeline");
        first.saveLastView(Path.of("/data/b.tlcap"), "Flame");

        WindowState next = new WindowState(node); // as after a restart
        assertEquals(Optional.of(new WindowState.Bounds(40, 30, 1200, 800, true)), next.bounds());
        assertEquals(Optional.of("Timeline"), next.lastView(Path.of("/data/a.tlcap")));
        assertEquals(Optional.of("Flame"), next.lastView(Path.of("/data/x/../b.tlcap")), "the same file by another path");
        assertEquals(Optional.empty(), next.lastView(Path.of("/data/c.tlcap")));
    }

    @Test
    void keysFitPreferencesLimitAndAnEmptyStoreRemembersNothing() {
        String key = WindowState.viewKey(Path.of("/" + "very-long-folder-name/".repeat(20) + "capture.tlcap"));
        assertTrue(key.length() <= Preferences.MAX_KEY_LENGTH, key);
        assertNotEquals(WindowState.viewKey(Path.of("/a.tlcap")), WindowState.viewKey(Path.of("/b.tlcap")));
        WindowState none = new WindowState(null);
        none.saveBounds(new WindowState.Bounds(0, 0, 100, 100, false));
        none.saveLastView(Path.of("/a.tlcap"), "Flame");
        assertEquals(Optional.empty(), none.bounds());
        assertEquals(Optional.empty(), none.lastView(Path.of("/a.tlcap")));
    }
}
