package dev.throughline.app.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 100us}, {@code 10ns} as nanoseconds (a bare number: seconds). */
final class Durations {
    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h)?");

    private Durations() {
    }

    static long parse(String text, String option) throws UserError {
        Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserError(option + " must be a duration like 500ms, 30s or 2m, was '" + text + "'");
        }
        long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 1_000_000_000L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UserError(option + " is too long: " + text);
        }
    }

    static String format(long ns) {
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + " s";
        }
        return ns / 1_000_000L + " ms";
    }
}
