package dev.throughline.app.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What each recording agent said about its own recording (capture meta {@code agent.<kind>.<pid>.<key>}), one line per
 * agent, for the report and the workbench's overview: what its threads cost ({@code agent_cpu}, written by the JVM
 * and Python agents when they stop), and where the JVM agent left JFR off ({@code jfr}), so that a reader knows why
 * the capture has no safepoints or parks.
 */
public final class AgentNotes {
    private AgentNotes() {
    }

    /** E.g. {@code JVM agent, pid 4242: 0.526 s CPU setting up …, then … = 2.53 % of one core (…); not counted: …}. */
    public static List<String> costs(Map<String, String> meta) {
        return lines(meta, "agent_cpu", value -> true);
    }

    /** E.g. {@code JVM agent, pid 4242: off (auto): GC pauses from … notifications …}; agents whose JFR ran say nothing. */
    public static List<String> jfrOff(Map<String, String> meta) {
        return lines(meta, "jfr", value -> !value.startsWith("on"));
    }

    private static List<String> lines(Map<String, String> meta, String field, Predicate<String> wanted) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(meta).forEach((key, value) -> {
            String[] k = key.split("\\.");
            if (k.length == 4 && k[0].equals("agent") && k[3].equals(field) && wanted.test(value)) {
                lines.add(kindName(k[1]) + " agent, pid " + k[2] + ": " + value);
            }
        });
        return lines;
    }

    private static String kindName(String kind) {
        switch (kind) {
            case "jvm": return "JVM";
            case "python": return "Python";
            default: return kind;
        }
    }
}
