package dev.throughline.storage.importer.chrome;

/**
 * Exact conversion between the Trace Event Format's microsecond numbers and our int64 nanoseconds.
 * Epoch microseconds in nanoseconds exceed 2^53, so no double arithmetic: the decimal text of the
 * JSON number token is converted digit by digit. More than three fraction digits are rounded half up
 * (half away from zero for negative values); exponent forms ({@code 1.5e3}) are accepted.
 */
public final class TraceTime {
    private TraceTime() {
    }

    /** Thrown for text that is not a JSON number or whose value does not fit int64 nanoseconds. */
    public static final class BadNumberException extends Exception {
        private static final long serialVersionUID = 1L;

        BadNumberException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Converts the decimal text {@code chars[offset, offset+length)} of a JSON number in microseconds
     * into nanoseconds.
     */
    public static long microsToNanos(char[] chars, int offset, int length) throws BadNumberException {
        int i = offset;
        int end = offset + length;
        if (i >= end) {
            throw new BadNumberException("empty number");
        }
        boolean negative = false;
        if (chars[i] == '-' || chars[i] == '+') {
            negative = chars[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digitsAfterPoint = 0;
        boolean seenPoint = false;
        boolean seenDigit = false;
        // digits past what a long can hold: integer ones scale the value up, fraction ones only round
        int droppedIntegerDigits = 0;
        int firstDropped = -1;
        for (; i < end; i++) {
            char c = chars[i];
            if (c >= '0' && c <= '9') {
                seenDigit = true;
                int digit = c - '0';
                if (firstDropped < 0 && (mantissa < Long.MAX_VALUE / 10
                        || (mantissa == Long.MAX_VALUE / 10 && digit <= Long.MAX_VALUE % 10))) {
                    mantissa = mantissa * 10 + digit;
                    if (seenPoint) {
                        digitsAfterPoint++;
                    }
                } else {
                    if (firstDropped < 0) {
                        firstDropped = digit;
                    }
                    if (!seenPoint) {
                        droppedIntegerDigits++;
                    }
                }
            } else if (c == '.' && !seenPoint) {
                seenPoint = true;
            } else if (c == 'e' || c == 'E') {
                break;
            } else {
                throw new BadNumberException("'" + new String(chars, offset, length) + "' is not a number");
            }
        }
        if (!seenDigit) {
            throw new BadNumberException("'" + new String(chars, offset, length) + "' is not a number");
        }
        long exponent = 0;
        if (i < end) { // at 'e'
            i++;
            boolean expNegative = false;
            if (i < end && (chars[i] == '-' || chars[i] == '+')) {
                expNegative = chars[i] == '-';
                i++;
            }
            if (i >= end) {
                throw new BadNumberException("'" + new String(chars, offset, length) + "' has an empty exponent");
            }
            for (; i < end; i++) {
                char c = chars[i];
                if (c < '0' || c > '9') {
                    throw new BadNumberException("'" + new String(chars, offset, length) + "' is not a number");
                }
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c - '0');
                }
            }
            if (expNegative) {
                exponent = -exponent;
            }
        }
        // value = mantissa * 10^(scale) ns, with scale = exponent + 3 (µs → ns) - fraction digits + dropped
        long scale = exponent + 3 - digitsAfterPoint + droppedIntegerDigits;
        long result;
        if (mantissa == 0) {
            result = 0;
        } else if (scale == 0) {
            // digits dropped past a full mantissa are below one nanosecond here: they only round
            result = mantissa;
            if (firstDropped >= 5) {
                if (result == Long.MAX_VALUE) {
                    throw outOfRange(chars, offset, length);
                }
                result++;
            }
        } else if (scale > 0) {
            // a mantissa only drops digits once it is >= MAX/10, so scaling it up cannot fit
            if (scale > 18 || firstDropped >= 0) {
                throw outOfRange(chars, offset, length);
            }
            try {
                result = Math.multiplyExact(mantissa, POW10[(int) scale]);
            } catch (ArithmeticException e) {
                throw outOfRange(chars, offset, length);
            }
        } else if (scale >= -18) {
            // digits past the mantissa (if any) lie below the remainder: only the remainder decides
            long divisor = POW10[(int) -scale];
            result = mantissa / divisor;
            if ((mantissa % divisor) * 2 >= divisor) { // half up
                result++;
            }
        } else if (scale == -19) {
            result = mantissa >= 5_000_000_000_000_000_000L ? 1 : 0;
        } else {
            result = 0;
        }
        return negative ? -result : result;
    }

    private static BadNumberException outOfRange(char[] chars, int offset, int length) {
        return new BadNumberException("'" + new String(chars, offset, length)
                + "' µs is out of range for int64 nanoseconds");
    }

    /** Convenience for tests and tools: {@link #microsToNanos(char[], int, int)} on a string. */
    public static long microsToNanos(String text) throws BadNumberException {
        char[] c = text.toCharArray();
        return microsToNanos(c, 0, c.length);
    }

    /** Nanoseconds as exact decimal microseconds: 1234567 → "1234.567", 5000 → "5", -1 → "-0.001". */
    public static String nanosToMicros(long ns) {
        StringBuilder sb = new StringBuilder(24);
        appendMicros(sb, ns);
        return sb.toString();
    }

    /** Appends {@code ns} as exact decimal microseconds, trailing fraction zeros removed. */
    public static void appendMicros(StringBuilder sb, long ns) {
        if (ns < 0) {
            sb.append('-');
            if (ns == Long.MIN_VALUE) {
                // |MIN_VALUE| does not fit: 9223372036854775808 ns
                sb.append("9223372036854775.808");
                return;
            }
            ns = -ns;
        }
        long whole = ns / 1000;
        int frac = (int) (ns % 1000);
        sb.append(whole);
        if (frac != 0) {
            sb.append('.');
            if (frac < 100) {
                sb.append('0');
            }
            if (frac < 10) {
                sb.append('0');
            }
            int f = frac;
            while (f % 10 == 0) {
                f /= 10;
            }
            // f has the fraction digits without trailing zeros; the leading zeros were written above
            sb.append(f);
        }
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }
}
