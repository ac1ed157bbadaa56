package dev.throughline.app.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each frame of a {@link CallTree} goes: x and width in pixels (width ∝ total samples) and a row.
 * The focus (the frame zoomed into) spans the full width; its ancestors sit above it, full width too, so
 * the path back stays visible. Frames narrower than {@link #MIN_WIDTH} px are left out (what is drawn is
 * bounded by the pixels, not by the size of the tree).
 */
final class FlameLayout {
    static final double MIN_WIDTH = 0.6;

    /** One placed frame; {@code row} 0 is the outermost shown; {@code ancestor} marks the path above the focus. */
    record Cell(CallTree.Node node, double x, double width, int row, boolean ancestor) {
    }

    private FlameLayout() {
    }

    static List<Cell> layout(CallTree.Node focus, double width) {
        List<Cell> out = new ArrayList<>();
        List<CallTree.Node> path = focus.path();
        int row = 0;
        for (CallTree.Node n : path) {
            if (n != focus) {
                out.add(new Cell(n, 0, width, row++, true));
            }
        }
        if (focus.total() == 0) {
            return out;
        }
        if (focus.isRoot()) {
            place(focus.children(), 0, width, focus.total(), row, out);
        } else {
            out.add(new Cell(focus, 0, width, row, false));
            place(focus.children(), 0, width, focus.total(), row + 1, out);
        }
        return out;
    }

    private static void place(List<CallTree.Node> children, double x, double width, long parentTotal, int row, List<Cell> out) {
        double pxPerSample = width / parentTotal;
        double cx = x;
        for (CallTree.Node c : children) {
            double w = c.total() * pxPerSample;
            if (w >= MIN_WIDTH) {
                out.add(new Cell(c, cx, w, row, false));
                place(c.children(), cx, w, c.total(), row + 1, out);
            }
            cx += w;
        }
    }
}
