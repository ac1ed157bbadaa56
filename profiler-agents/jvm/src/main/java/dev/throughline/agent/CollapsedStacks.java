package dev.throughline.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses async-profiler's collapsed output with the {@code threads} option: one line per distinct stack,
 * {@code [thread name tid=N];root;...;leaf COUNT}. Java frames come as {@code java/lang/Thread.run}; they are given
 * dotted ({@code java.lang.Thread.run}); native and VM frames ({@code os::javaTimeNanos}, {@code [vdso]}) as they come.
 */
final class CollapsedStacks {
    /** One line. {@code osTid} is -1 when the line has no thread frame. */
    static final class Stack {
        final long osTid;
        final String threadName;
        final String[] frames;
        final int count;

        Stack(long osTid, String threadName, String[] frames, int count) {
            this.osTid = osTid;
            this.threadName = threadName;
            this.frames = frames;
            this.count = count;
        }
    }

    private CollapsedStacks() {
    }

    static List<Stack> parse(String text) {
        List<Stack> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            Stack s = line(line);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    static Stack line(String line) {
        int space = line.lastIndexOf(' ');
        if (space <= 0) {
            return null;
        }
        int count;
        try {
            count = Integer.parseInt(line.substring(space + 1).trim());
        } catch (NumberFormatException e) {
            return null;
        }
        String[] parts = line.substring(0, space).split(";");
        long tid = -1;
        String threadName = null;
        int first = 0;
        String head = parts[0];
        if (head.startsWith("[") && head.endsWith("]") && head.contains(" tid=")) {
            int t = head.lastIndexOf(" tid=");
            threadName = head.substring(1, t);
            try {
                tid = Long.parseLong(head.substring(t + 5, head.length() - 1));
            } catch (NumberFormatException e) {
                tid = -1;
            }
            first = 1;
        }
        String[] frames = new String[parts.length - first];
        for (int i = first; i < parts.length; i++) {
            frames[i - first] = frameName(parts[i]);
        }
        return frames.length == 0 ? null : new Stack(tid, threadName, frames, count);
    }

    /** {@code java/util/HashMap.get} → {@code java.util.HashMap.get}; C++, library and kernel frames unchanged. */
    static String frameName(String f) {
        if (f.indexOf('/') < 0 || f.startsWith("[") || f.startsWith("/") || f.contains("::") || f.indexOf('@') >= 0) {
            return f;
        }
        return f.replace('/', '.');
    }
}
