package dev.throughline.app.cli;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.model.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run read-only SQL on a capture (tables: docs/capture-format.md).",
            "Example: throughline query run.tlcap \"SELECT * FROM summary_name ORDER BY total_ns DESC LIMIT 5\""})
final class QueryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CAPTURE")
    Path capture;

    @Parameters(index = "1", paramLabel = "SQL")
    String sql;

    @Option(names = "--csv", description = "print CSV (RFC 4180) instead of an aligned table")
    boolean csv;

    @Option(names = "--max-rows", defaultValue = "10000", description = "stop after this many rows (default ${DEFAULT-VALUE})")
    int maxRows;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            QueryResult result;
            try {
                result = reader.query(sql, maxRows);
            } catch (SQLException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                if (msg.contains("readonly") || msg.contains("read-only") || msg.contains("not authorized")) {
                    throw new UserError(capture + ": the capture is opened read-only; '" + firstWord(sql)
                            + "' would change it. query runs SELECT statements only");
                }
                throw new UserError(capture + ": SQL error: " + msg.replace('\n', ' '));
            }
            if (csv) {
                printCsv(result, out);
            } else {
                printTable(result, out);
            }
        }
        return 0;
    }

    private static String firstWord(String sql) {
        String t = sql.strip();
        int sp = t.indexOf(' ');
        return (sp < 0 ? t : t.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
    }

    static void printCsv(QueryResult r, PrintWriter out) {
        out.println(String.join(",", r.columns().stream().map(QueryCommand::csvCell).toList()));
        for (List<Object> row : r.rows()) {
            out.println(String.join(",", row.stream().map(v -> csvCell(v == null ? "" : v.toString())).toList()));
        }
    }

    private static String csvCell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    static void printTable(QueryResult r, PrintWriter out) {
        int n = r.columns().size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        java.util.Arrays.fill(numeric, true);
        for (int i = 0; i < n; i++) {
            width[i] = r.columns().get(i).length();
        }
        for (List<Object> row : r.rows()) {
            for (int i = 0; i < n; i++) {
                Object v = row.get(i);
                width[i] = Math.min(80, Math.max(width[i], text(v).length()));
                if (v != null && !(v instanceof Number)) {
                    numeric[i] = false;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "  ").append(pad(r.columns().get(i), width[i], numeric[i]));
        }
        out.println(sb.toString().stripTrailing());
        for (List<Object> row : r.rows()) {
            sb.setLength(0);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : "  ").append(pad(text(row.get(i)), width[i], numeric[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.printf("(%d row%s)%n", r.rows().size(), r.rows().size() == 1 ? "" : "s");
    }

    private static String text(Object v) {
        String s = v == null ? "NULL" : v.toString();
        return s.length() > 80 ? s.substring(0, 79) + "…" : s;
    }

    private static String pad(String s, int w, boolean right) {
        if (s.length() >= w) {
            return s;
        }
        String spaces = " ".repeat(w - s.length());
        return right ? spaces + s : s + spaces;
    }
}
