package dev.throughline.app.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each recording agent says its own threads cost (capture meta {@code agent.<kind>.<pid>.agent_cpu}, written by
 * the JVM and Python agents when they stop), one line per agent, for the report and the workbench's overview.
 */
public final class AgentCosts {
    private AgentCosts() {
    }

    /** E.g. {@code JVM agent, pid 4242: 0.526 s CPU setting up …, then … = 2.53 % of one core (…); not counted: …}. */
    public static List<String> lines(Map<String, String> meta) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(meta).forEach((key, value) -> {
            String[] k = key.split("\\.");
            if (k.length == 4 && k[0].equals("agent") && k[3].equals("agent_cpu")) {
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
