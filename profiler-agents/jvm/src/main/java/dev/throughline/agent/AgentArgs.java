package dev.throughline.agent;

import java.util.Locale;
import java.util.Map;

/**
 * The agent's options: {@code addr=127.0.0.1:PORT,token=T,event=cpu|ctimer|itimer|wall|off,interval=10ms,duration=30s,park=10ms,jfr=auto|on|off,out=PATH}.
 * {@code addr} and {@code token} fall back to {@code THROUGHLINE_ADDR} / {@code THROUGHLINE_TOKEN} (the
 * {@code JAVA_TOOL_OPTIONS} path, where the token should not appear on a command line). {@code stop} alone asks a
 * running agent to stop.
 */
final class AgentArgs {
    /** perf_events where the kernel allows them (else itimer, said in META); bench/RESULTS.md compares the engines. */
    static final String DEFAULT_EVENT = "cpu";

    final String host;
    final int port;
    final String token;
    /** {@code cpu} (default: perf_events, else itimer), {@code ctimer}, {@code itimer}, {@code wall}, or {@code off}. */
    final String event;
    final long intervalNs;
    /** 0: until the host exits or the collector closes the connection. */
    final long durationNs;
    /** Thread parks shorter than this are not sent. */
    final long parkThresholdNs;
    /** The capture the collector writes, when the launcher says (only shown in the recording property). */
    final String out;
    final boolean stop;

    /**
     * Whether GC pauses, safepoints and parks come from JFR ({@code on}) or GC pauses only from GC notifications
     * ({@code off}); {@code auto} (default) decides per JVM, see {@link JfrChoice}.
     */
    final String jfr;

    private AgentArgs(String host, int port, String token, String event, long intervalNs, long durationNs,
                      long parkThresholdNs, String out, String jfr, boolean stop) {
        this.jfr = jfr;
        this.host = host;
        this.port = port;
        this.token = token;
        this.event = event;
        this.intervalNs = intervalNs;
        this.durationNs = durationNs;
        this.parkThresholdNs = parkThresholdNs;
        this.out = out;
        this.stop = stop;
    }

    String address() {
        return host + ":" + port;
    }

    /** @throws IllegalArgumentException with a message fit for the one warning line */
    static AgentArgs parse(String args, Map<String, String> env) {
        String text = args == null ? "" : args.trim();
        if (text.equals("stop")) {
            return new AgentArgs(null, 0, null, null, 0, 0, 0, null, "auto", true);
        }
        String addr = env.get("THROUGHLINE_ADDR");
        String token = env.get("THROUGHLINE_TOKEN");
        String event = DEFAULT_EVENT;
        long interval = 10_000_000L;
        long duration = 0;
        long park = 10_000_000L;
        String out = null;
        String jfr = "auto";
        for (String part : text.isEmpty() ? new String[0] : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("agent option '" + part + "' is not key=value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            switch (key) {
                case "addr": addr = value; break;
                case "token": token = value; break;
                case "event":
                    event = value.toLowerCase(Locale.ROOT);
                    if (!event.matches("cpu|ctimer|itimer|wall|off")) {
                        throw new IllegalArgumentException("event must be cpu, ctimer, itimer, wall or off, was " + value);
                    }
                    break;
                case "interval": interval = duration(value, "interval"); break;
                case "duration": duration = duration(value, "duration"); break;
                case "park": park = duration(value, "park"); break;
                case "out": out = value; break;
                case "jfr":
                    if (!value.matches("auto|on|off")) {
                        throw new IllegalArgumentException("jfr must be auto, on or off, was " + value);
                    }
                    jfr = value;
                    break;
                default: throw new IllegalArgumentException("unknown agent option '" + key + "'");
            }
        }
        if (addr == null || addr.isEmpty()) {
            throw new IllegalArgumentException("no collector address (addr=HOST:PORT or THROUGHLINE_ADDR)");
        }
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("no token (token=T or THROUGHLINE_TOKEN)");
        }
        int colon = addr.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("address must be HOST:PORT, was " + addr);
        }
        if (colon <= 0 || port < 1 || port > 65535) {
            throw new IllegalArgumentException("address must be HOST:PORT, was " + addr);
        }
        if (interval <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        return new AgentArgs(addr.substring(0, colon), port, token, event, interval, duration, park, out, jfr, false);
    }

    /** {@code 10ms}, {@code 30s}, {@code 2m}, {@code 500us}, {@code 100ns}; a bare number is milliseconds. */
    static long duration(String text, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (t.endsWith("ns")) {
            unit = 1;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = 1_000;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unit = 1_000_000;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000L;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000_000_000L;
            digits = t.substring(0, t.length() - 1);
        } else {
            unit = 1_000_000;
            digits = t;
        }
        try {
            long n = Long.parseLong(digits.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " must be a duration like 10ms or 30s, was '" + text + "'");
        }
    }
}
