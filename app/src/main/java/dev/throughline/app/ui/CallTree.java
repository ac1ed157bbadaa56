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

    /** One function over all its call paths: self and total samples. */
    record FunctionTotal(String function, String file, long self, long total) {
    }

    /**
     * Every function (by name and file) with its self samples (the leaf of the stack) and total samples (anywhere on
     * the stack, each sample counted once even when the function recurses), the largest total first.
     */
    List<FunctionTotal> functionTotals() {
        Map<List<String>, long[]> sums = new java.util.HashMap<>();
        Map<List<String>, Integer> onPath = new java.util.HashMap<>();
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>(); // {node, entered?}
        for (Node c : root.children) {
            stack.push(new Object[] {c, Boolean.FALSE});
        }
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            Node n = (Node) top[0];
            List<String> key = java.util.Arrays.asList(n.function, n.file);
            if (top[1] == Boolean.TRUE) { // leaving
                onPath.merge(key, -1, Integer::sum);
                continue;
            }
            long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
            sum[0] += n.self;
            if (onPath.getOrDefault(key, 0) == 0) {
                sum[1] += n.total; // an outer call of the same function already counted these samples
            }
            onPath.merge(key, 1, Integer::sum);
            stack.push(new Object[] {n, Boolean.TRUE});
            for (Node c : n.children) {
                stack.push(new Object[] {c, Boolean.FALSE});
            }
        }
        List<FunctionTotal> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(new FunctionTotal(k.get(0), k.get(1), v[0], v[1])));
        out.sort(java.util.Comparator.comparingLong(FunctionTotal::total).reversed()
                .thenComparing(java.util.Comparator.comparingLong(FunctionTotal::self).reversed())
                .thenComparing(FunctionTotal::function));
        return out;
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
