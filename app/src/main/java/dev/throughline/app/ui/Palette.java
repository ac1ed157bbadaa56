package dev.throughline.app.ui;

import dev.throughline.storage.Category;
import javafx.scene.paint.Color;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one category palette of the workbench: timeline slices, stacked bars and legends all take their
 * colours from here. Built on Okabe–Ito (safe for the common colour-vision deficiencies) with Paul Tol's
 * muted colours for the rarer categories; every colour is mid-lightness so it reads on the light and the
 * dark theme. Severity colours (findings only) are in the CSS, never here.
 */
public final class Palette {
    private static final Map<Category, Color> BY_CATEGORY = new EnumMap<>(Category.class);

    static {
        BY_CATEGORY.put(Category.KERNEL, Color.web("#0072B2"));     // blue
        BY_CATEGORY.put(Category.MEMCPY, Color.web("#E69F00"));     // orange
        BY_CATEGORY.put(Category.MEMSET, Color.web("#F0E442"));     // yellow
        BY_CATEGORY.put(Category.CUDA_API, Color.web("#D55E00"));   // vermillion (runtime)
        BY_CATEGORY.put(Category.CPU_OP, Color.web("#009E73"));     // bluish green (cpu exec)
        BY_CATEGORY.put(Category.PYTHON, Color.web("#999933"));     // olive
        BY_CATEGORY.put(Category.DATA_WAIT, Color.web("#56B4E9"));  // sky blue (dataloader)
        BY_CATEGORY.put(Category.DATA_FETCH, Color.web("#88CCEE")); // cyan
        BY_CATEGORY.put(Category.STEP, Color.web("#DDCC77"));       // sand
        BY_CATEGORY.put(Category.REQUEST, Color.web("#CC6677"));    // rose
        BY_CATEGORY.put(Category.PHASE, Color.web("#AA4499"));      // purple
        BY_CATEGORY.put(Category.GC, Color.web("#BBBBBB"));         // light grey
        BY_CATEGORY.put(Category.SYNC, Color.web("#EE3377"));       // magenta
        BY_CATEGORY.put(Category.USER, Color.web("#44AA99"));       // teal
    }

    /** The step-time parts (StepStats.PART_NAMES order), each the colour of the category it comes from. */
    public static final List<Color> STEP_PARTS = List.of(
            BY_CATEGORY.get(Category.KERNEL), BY_CATEGORY.get(Category.MEMCPY), BY_CATEGORY.get(Category.MEMSET),
            Color.web("#CC79A7") /* communication: reddish purple */, BY_CATEGORY.get(Category.CUDA_API),
            BY_CATEGORY.get(Category.DATA_WAIT), BY_CATEGORY.get(Category.CPU_OP), Color.web("#8C8C8C") /* other */);

    /** Flame graph frames: one hue family per language (never a category colour, so the two don't read alike). */
    /**
     * A request's parts, in the order of {@code SlowRequests}: waiting in the sky blues of data_wait, compute green as
     * cpu_op, respond orange, uncovered time grey, GC pauses the GC category's light grey.
     */
    public static final Map<String, Color> REQUEST_PHASES = new java.util.LinkedHashMap<>();

    static {
        REQUEST_PHASES.put("queue", Color.web("#56B4E9"));
        REQUEST_PHASES.put("batch_wait", Color.web("#88CCEE"));
        REQUEST_PHASES.put("compute", Color.web("#009E73"));
        REQUEST_PHASES.put("respond", Color.web("#E69F00"));
        REQUEST_PHASES.put("other", Color.web("#8C8C8C"));
        REQUEST_PHASES.put("gc", BY_CATEGORY.get(Category.GC));
    }

    private static final Map<FrameKind, Color> BY_FRAME_KIND = new EnumMap<>(FrameKind.class);

    static {
        BY_FRAME_KIND.put(FrameKind.PYTHON, Color.web("#E3C55A")); // warm yellow
        BY_FRAME_KIND.put(FrameKind.JAVA, Color.web("#4EB3A3"));   // teal
        BY_FRAME_KIND.put(FrameKind.NATIVE, Color.web("#D97B8A")); // rose
    }

    private Palette() {
    }

    public static Color ofFrameKind(FrameKind kind) {
        return BY_FRAME_KIND.get(kind);
    }

    /**
     * A frame's colour: its language's hue, shifted a little per module (Python file, Java package,
     * library) so that neighbouring modules are told apart while the language still reads at a glance.
     */
    public static Color ofFrame(FrameKind kind, String group) {
        Color base = BY_FRAME_KIND.get(kind);
        int h = group == null ? 0 : group.hashCode() * 0x9E3779B1;
        double hueShift = ((h >>> 8) & 0xFF) / 255.0 * 16 - 8;
        double brightness = 0.86 + ((h >>> 16) & 0xFF) / 255.0 * 0.22;
        return base.deriveColor(hueShift, 1, brightness, 1);
    }

    public static Color of(Category c) {
        return BY_CATEGORY.getOrDefault(c, Color.GRAY);
    }

    /** Black or white, whichever reads better on {@code background}. */
    public static Color textOn(Color background) {
        double l = 0.2126 * background.getRed() + 0.7152 * background.getGreen() + 0.0722 * background.getBlue();
        return l > 0.5 ? Color.web("#111111") : Color.WHITE;
    }

    public static java.awt.Color awt(Color c) {
        return new java.awt.Color((float) c.getRed(), (float) c.getGreen(), (float) c.getBlue(), (float) c.getOpacity());
    }

    public static String css(Color c) {
        return String.format("#%02X%02X%02X", (int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255),
                (int) Math.round(c.getBlue() * 255));
    }
}
