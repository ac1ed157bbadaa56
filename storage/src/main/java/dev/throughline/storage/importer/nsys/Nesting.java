package dev.throughline.storage.importer.nsys;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Depth and parent of slices that arrive in start order (ties: the longer first), per track: a stack of
 * the slices still open at the current time. A slice that starts inside another is its child, even if
 * it ends after it (the source's nesting is kept, not repaired).
 */
final class Nesting {
    private final Map<Integer, ArrayDeque<long[]>> stacks = new HashMap<>();
    private ArrayDeque<long[]> current;
    /** Depth of the slice last {@link #place}d. */
    int depth;
    /** Id of its parent slice, or -1. */
    long parent;

    void place(int track, long start) {
        current = stacks.computeIfAbsent(track, t -> new ArrayDeque<>());
        while (!current.isEmpty() && current.peek()[0] <= start) {
            current.pop();
        }
        depth = current.size();
        parent = current.isEmpty() ? -1 : current.peek()[1];
    }

    /** The slice just {@link #place}d was written with this id and ends at {@code end}. */
    void opened(long end, long sliceId) {
        current.push(new long[] {end, sliceId});
    }
}
