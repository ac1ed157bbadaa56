package dev.throughline.app.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU samples merged into one call tree: a node per distinct call path of (function, file), roots at the
 * top (the outermost frames). {@code total} counts the samples in a node and below, {@code self} those
 * that ended in it. Built by {@link CallTreeBuilder}; immutable once built.
 */
final class CallTree {
    /** One merged frame on one call path. */
    static final class Node {
        final String function;
        final String file;
        final FrameKind kind;
        final Node parent;
        final int depth;
        int line;
        long lineWeight; // the weight of the samples at {@code line}: the line shown is the busiest one
        int number; // 0 for the root; numbers the nodes while building (child lookup)
        private Map<Integer, Long> lines; // only when a frame was seen at more than one line
        long self;
        long total;
        final List<Node> children = new ArrayList<>();

        Node(String function, String file, int line, Node parent) {
            this(function, file, line, parent, FrameKind.of(function, file));
        }

        Node(String function, String file, int line, Node parent, FrameKind kind) {
            this.function = function;
            this.file = file;
            this.line = line;
            this.parent = parent;
            this.depth = parent == null ? -1 : parent.depth + 1;
            this.kind = kind;
        }

        /** While building: {@code weight} more samples were at {@code at}. */
        void addLine(int at, long weight) {
            if (lines == null && (at == line || lineWeight == 0)) {
                line = at;
                lineWeight += weight;
                return;
            }
            if (lines == null) {
                lines = new HashMap<>();
                lines.put(line, lineWeight);
            }
            lines.merge(at, weight, Long::sum);
        }

        /** After building: the line shown is the one with most samples (the lower one on a tie). */
        void pickLine() {
            if (lines == null) {
                return;
            }
            line = Integer.MAX_VALUE;
            lineWeight = -1;
            for (Map.Entry<Integer, Long> e : lines.entrySet()) {
                if (e.getValue() > lineWeight || e.getValue() == lineWeight && e.getKey() < line) {
                    line = e.getKey();
                    lineWeight = e.getValue();
                }
            }
            lines = null;
        }

        String function() {
            return function;
        }

        String file() {
            return file;
        }

        int line() {
            return line;
        }

        FrameKind kind() {
            return kind;
        }

        long self() {
            return self;
        }

        long total() {
            return total;
        }

        Node parent() {
            return parent;
        }

        /** Depth from the tree's roots (a root frame is 0; the synthetic root is -1). */
        int depth() {
            return depth;
        }

        List<Node> children() {
            return Collections.unmodifiableList(children);
        }

        boolean isRoot() {
            return parent == null;
        }

        /** "file:line", or the file alone when the line is unknown, or "" for a frame without a file. */
        String location() {
            if (file == null || file.isEmpty()) {
                return "";
            }
            return line > 0 ? file + ":" + line : file;
        }

        /** This node and its ancestors up to (not including) the synthetic root, outermost first. */
        List<Node> path() {
            List<Node> out = new ArrayList<>();
            for (Node n = this; n != null && !n.isRoot(); n = n.parent) {
                out.add(n);
            }
            Collections.reverse(out);
            return out;
        }

        boolean matches(String lowerNeedle) {
            return function.toLowerCase(Locale.ROOT).contains(lowerNeedle)
                    || file != null && file.toLowerCase(Locale.ROOT).contains(lowerNeedle);
        }

        @Override
        public String toString() {
            return function + (file == null ? "" : " (" + location() + ")") + " total " + total + " self " + self;
        }
    }

    /** Frames that matched a search and the samples under them (each sample counted once). */
    record Matches(int frames, long samples) {
    }

    private final Node root;
    private final int maxDepth;
    private final int nodes;

    CallTree(Node root, int maxDepth, int nodes) {
        this.root = root;
        this.maxDepth = maxDepth;
        this.nodes = nodes;
    }

    /** The synthetic root: "all samples"; its children are the outermost frames. */
    Node root() {
        return root;
    }

    long totalWeight() {
        return root.total;
    }

    boolean isEmpty() {
        return root.total == 0;
    }

    /** The deepest frame's depth (0 = only roots). */
    int maxDepth() {
        return maxDepth;
    }

    int nodeCount() {
        return nodes;
    }

    /**
     * The frames whose function or file contains {@code text} (case-insensitive), and the samples under
     * them: a match inside a match (recursion) is not counted twice.
     */
    Matches matches(String text) {
        String needle = text.toLowerCase(Locale.ROOT).strip();
        if (needle.isEmpty()) {
            return new Matches(0, 0);
        }
        int[] frames = {0};
        long samples = countMatches(root, needle, false, frames);
        return new Matches(frames[0], samples);
    }

    private static long countMatches(Node n, String needle, boolean underMatch, int[] frames) {
        boolean m = !n.isRoot() && n.matches(needle);
        if (m) {
            frames[0]++;
        }
        long sum = m && !underMatch ? n.total : 0;
        for (Node c : n.children) {
            sum += countMatches(c, needle, underMatch || m, frames);
        }
        return sum;
    }

    /** The first node, depth first, whose function equals {@code function} (for tests and the screenshot tour). */
    Node find(String function) {
        return find(root, function);
    }

    private static Node find(Node n, String function) {
        if (!n.isRoot() && n.function.equals(function)) {
            return n;
        }
        for (Node c : n.children) {
            Node f = find(c, function);
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
