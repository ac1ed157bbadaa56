package dev.throughline.samples.serving;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and bare {@code --switch} arguments; an unknown name is an error, not ignored. */
final class Flags {
    private final Map<String, String> values = new HashMap<>();

    Flags(String[] args, Set<String> valued, Set<String> switches) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (switches.contains(a)) {
                values.put(a, "true");
            } else if (valued.contains(a)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; known: " + valued + " " + switches);
            }
        }
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    double decimal(String name, double fallback) {
        String v = values.get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
