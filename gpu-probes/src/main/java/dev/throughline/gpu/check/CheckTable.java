package dev.throughline.gpu.check;

import java.util.ArrayList;
import java.util.List;

/** The results table GpuCheck prints: one row per check, PASS / FAIL / WARN / SKIP, measured vs expected. */
public final class CheckTable {
    public enum Verdict { PASS, FAIL, WARN, SKIP }

    private final List<String[]> rows = new ArrayList<>();
    private boolean failed;

    public void row(String check, Verdict verdict, String measured, String expected) {
        rows.add(new String[] {check, verdict.name(), measured, expected});
        failed |= verdict == Verdict.FAIL;
    }

    public boolean failed() {
        return failed;
    }

    /** A Markdown table, so it pastes into bench/RESULTS.md as is. */
    public String markdown() {
        StringBuilder b = new StringBuilder("| check | verdict | measured | expected |\n| --- | --- | --- | --- |\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return b.toString();
    }
}
