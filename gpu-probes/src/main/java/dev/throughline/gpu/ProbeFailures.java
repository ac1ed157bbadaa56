package dev.throughline.gpu;

/** Turns what a failed native load threw into one line a user can act on. */
final class ProbeFailures {
    private ProbeFailures() {
    }

    static String reason(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(' ').append(c.getMessage());
        }
        String text = all.toString();
        if (text.contains("libcuda.so")) {
            return "no NVIDIA driver (libcuda.so.1 not found)";
        }
        if (text.contains("libnvidia-ml")) {
            return "no NVIDIA driver (libnvidia-ml.so.1 not found)";
        }
        String first = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = first.indexOf('\n');
        if (nl >= 0) {
            first = first.substring(0, nl);
        }
        if (first.length() > 200) {
            first = first.substring(0, 200) + "…";
        }
        return t.getClass().getSimpleName() + ": " + first;
    }
}
