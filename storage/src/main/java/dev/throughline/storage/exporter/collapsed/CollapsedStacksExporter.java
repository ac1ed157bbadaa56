package dev.throughline.storage.exporter.collapsed;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.exporter.AtomicOutput;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU samples as collapsed stacks ({@code root;caller;leaf weight}, one line per distinct stack), the input of
 * flamegraph.pl, speedscope and async-profiler's converters. A frame is its function name, with the source file's
 * base name in parentheses when the capture knows it ({@code train_step (train.py)}): line numbers would split one
 * function into many frames. Semicolons inside names become colons, so they cannot be read as separators.
 */
public final class CollapsedStacksExporter {
    /** What an export wrote. */
    public record Result(long stacks, long samples) {
    }

    public Result export(CaptureReader reader, Path target, boolean overwrite) throws IOException {
        return AtomicOutput.write(target, overwrite, out -> writeTo(reader, out));
    }

    public Result writeTo(CaptureReader reader, OutputStream out) throws IOException {
        try {
            return write(reader, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        } catch (SQLException e) {
            throw new IOException("cannot read capture " + reader.file() + ": " + e.getMessage(), e);
        }
    }

    private Result write(CaptureReader reader, Writer w) throws SQLException, IOException {
        Map<Long, String> frames = new HashMap<>();
        Map<Long, long[]> callsites = new HashMap<>(); // id -> {parent, frame}
        try (Statement st = reader.connection().createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT f.id, n.value, fl.value FROM frame f JOIN string n ON n.id = f.name_id"
                    + " LEFT JOIN string fl ON fl.id = f.file_id")) {
                while (rs.next()) {
                    frames.put(rs.getLong(1), label(rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT id, parent_id, frame_id FROM callsite")) {
                while (rs.next()) {
                    callsites.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
            Map<Long, String> stacks = new HashMap<>();
            long lines = 0;
            long samples = 0;
            try (ResultSet rs = st.executeQuery("SELECT callsite_id, SUM(weight) FROM sample GROUP BY callsite_id ORDER BY 1")) {
                while (rs.next()) {
                    long weight = rs.getLong(2);
                    w.write(stack(rs.getLong(1), callsites, frames, stacks));
                    w.write(' ');
                    w.write(Long.toString(weight));
                    w.write('\n');
                    lines++;
                    samples += weight;
                }
            }
            w.flush();
            return new Result(lines, samples);
        }
    }

    /** The callsite's stack, root first; parents' stacks are memoised (siblings share them). */
    private static String stack(long callsite, Map<Long, long[]> callsites, Map<Long, String> frames, Map<Long, String> memo) {
        String known = memo.get(callsite);
        if (known != null) {
            return known;
        }
        long[] c = callsites.get(callsite);
        if (c == null) {
            return "[unknown callsite " + callsite + "]";
        }
        String frame = frames.getOrDefault(c[1], "[unknown frame]");
        String text = c[0] == 0 ? frame : stack(c[0], callsites, frames, memo) + ";" + frame;
        memo.put(callsite, text);
        return text;
    }

    static String label(String function, String file) {
        String name = function.replace(';', ':');
        if (file == null || file.isEmpty()) {
            return name;
        }
        int slash = file.lastIndexOf('/');
        return name + " (" + file.substring(slash + 1).replace(';', ':') + ")";
    }
}
