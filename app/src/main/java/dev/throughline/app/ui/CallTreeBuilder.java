package dev.throughline.app.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds sample weights per callsite into a merged {@link CallTree}. The capture stores stacks as a
 * callsite tree (each callsite: a frame and its parent callsite), so the work is proportional to the
 * number of distinct callsites, not samples: the samples are summed per callsite in SQL first.
 * Callsites whose frames differ only in the line merge into one node (a Python frame's line is the
 * line being run, which would otherwise split a function into one box per line).
 */
final class CallTreeBuilder {
    /** One stack frame as stored. */
    record Frame(String function, String file, int line) {
    }

    /**
     * The capture's callsite table as arrays indexed by callsite id: parent (0 = a root), frame id and
     * depth; and the frames by frame id. Read once per capture, then reused for every filter.
     */
    record Callsites(int[] parent, int[] frame, int[] depth, Frame[] frames) {
        int size() {
            return parent.length;
        }
    }

    private final Callsites table;
    /** Frame id → the id of its (function, file) pair, so that child lookup is by int, not by string. */
    private final int[] mergeKey;
    private final FrameKind[] kindOf;
    private final int maxDepth;
    /** Callsite ids by depth, computed once: children are summed before parents, parents built first. */
    private final int[][] byDepth;

    CallTreeBuilder(Callsites table) {
        this.table = table;
        Frame[] frames = table.frames();
        mergeKey = new int[frames.length];
        kindOf = new FrameKind[frames.length];
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < frames.length; i++) {
            Frame f = frames[i];
            if (f != null) {
                String k = f.function() + '\u0000' + (f.file() == null ? "" : f.file());
                mergeKey[i] = keys.computeIfAbsent(k, x -> keys.size());
                kindOf[i] = FrameKind.of(f.function(), f.file());
            }
        }
        int deepest = 0;
        for (int cs = 1; cs < table.size(); cs++) {
            deepest = Math.max(deepest, table.depth()[cs]);
        }
        maxDepth = deepest;
        byDepth = byDepth(table.size(), maxDepth);
    }

    /**
     * The tree of the samples whose summed weight per callsite is {@code weights[i]} at callsite
     * {@code callsites[i]}. Unknown callsite ids (a torn capture) are skipped.
     */
    CallTree build(int[] callsites, long[] weights) {
        int n = table.size();
        long[] own = new long[n];
        long[] total = new long[n];
        for (int i = 0; i < callsites.length; i++) {
            int cs = callsites[i];
            if (cs > 0 && cs < n && weights[i] > 0) {
                own[cs] += weights[i];
            }
        }
        for (int d = maxDepth; d >= 0; d--) {
            for (int cs : byDepth[d]) {
                total[cs] += own[cs];
                int p = table.parent()[cs];
                if (p > 0 && p < n && total[cs] > 0) {
                    total[p] += total[cs];
                }
            }
        }
        CallTree.Node root = new CallTree.Node("all samples", null, 0, null);
        // one index for every node's children: (parent's number, frame key) → child
        Map<Long, CallTree.Node> childIndex = new HashMap<>();
        CallTree.Node[] nodeOf = new CallTree.Node[n];
        int nodes = 0;
        int deepest = 0;
        for (int d = 0; d <= maxDepth; d++) {
            for (int cs : byDepth[d]) {
                if (total[cs] == 0) {
                    continue;
                }
                int p = table.parent()[cs];
                CallTree.Node parent = p > 0 && p < n && nodeOf[p] != null ? nodeOf[p] : root;
                int f = table.frame()[cs];
                Frame frame = f >= 0 && f < table.frames().length ? table.frames()[f] : null;
                int key = frame != null ? mergeKey[f] : -1 - f; // a missing frame stays on its own
                if (frame == null) {
                    frame = new Frame("frame " + f, null, 0);
                }
                long slot = ((long) parent.number << 32) | (key & 0xFFFFFFFFL);
                CallTree.Node node = childIndex.get(slot);
                if (node == null) {
                    node = new CallTree.Node(frame.function(), frame.file(), frame.line(), parent,
                            key >= 0 ? kindOf[f] : FrameKind.NATIVE);
                    node.number = ++nodes;
                    parent.children.add(node);
                    childIndex.put(slot, node);
                    deepest = Math.max(deepest, node.depth);
                }
                node.total += total[cs];
                node.self += own[cs];
                node.addLine(frame.line(), total[cs]);
                nodeOf[cs] = node;
            }
        }
        for (CallTree.Node c : root.children) {
            root.total += c.total;
        }
        finish(root);
        return new CallTree(root, deepest, nodes);
    }

    private int[][] byDepth(int n, int maxDepth) { // a counting sort of the callsites by depth
        int[] counts = new int[maxDepth + 1];
        for (int cs = 1; cs < n; cs++) {
            counts[Math.max(0, table.depth()[cs])]++;
        }
        int[][] out = new int[maxDepth + 1][];
        for (int d = 0; d <= maxDepth; d++) {
            out[d] = new int[counts[d]];
        }
        int[] fill = new int[maxDepth + 1];
        for (int cs = 1; cs < n; cs++) {
            int d = Math.max(0, table.depth()[cs]);
            out[d][fill[d]++] = cs;
        }
        return out;
    }

    /** Heaviest child first; each node shows the line that most of its samples were at. */
    private static void finish(CallTree.Node root) {
        List<CallTree.Node> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            CallTree.Node n = stack.remove(stack.size() - 1);
            n.pickLine();
            n.children.sort((a, b) -> Long.compare(b.total, a.total));
            stack.addAll(n.children);
        }
    }
}
