package dev.throughline.app.report;

import java.util.Locale;

/** Human units chosen per value: ns/µs/ms/s and B/KB/MB/GB, 3–4 significant digits. */
public final class Units {
    private Units() {
    }

    public static String duration(long ns) {
        long abs = Math.abs(ns);
        if (abs < 1_000) {
            return ns + " ns";
        }
        if (abs < 1_000_000) {
            return sig(ns / 1e3) + " µs";
        }
        if (abs < 1_000_000_000) {
            return sig(ns / 1e6) + " ms";
        }
        return sig(ns / 1e9) + " s";
    }

    public static String bytes(long b) {
        long abs = Math.abs(b);
        if (abs < 1024) {
            return b + " B";
        }
        if (abs < 1024L * 1024) {
            return sig(b / 1024.0) + " KB";
        }
        if (abs < 1024L * 1024 * 1024) {
            return sig(b / (1024.0 * 1024)) + " MB";
        }
        return sig(b / (1024.0 * 1024 * 1024)) + " GB";
    }

    /** 0.3312 → "33.1 %". */
    public static String percent(double fraction) {
        double p = fraction * 100;
        return String.format(Locale.ROOT, p >= 10 || p == 0 ? "%.0f %%" : "%.1f %%", p);
    }

    private static String sig(double v) {
        double abs = Math.abs(v);
        String pattern = abs >= 100 ? "%.1f" : abs >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
