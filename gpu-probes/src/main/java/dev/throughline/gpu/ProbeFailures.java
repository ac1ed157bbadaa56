package dev.throughline.gpu;

/** Turns what a failed native load threw into one line a user can act on. */
public final class ProbeFailures {
    private ProbeFailures() {
    }

    /**
     * The first reason the CUDA bindings failed to load in this JVM. A class whose static initializer
     * failed answers later uses only with "NoClassDefFoundError: Could not initialize class …", so the
     * second probe to try (CUPTI after NVML) repeats the first probe's reason instead.
     */
    private static volatile String firstLoadFailure;

    public static String reason(Throwable t) {
        String reason = describe(t);
        String text = String.valueOf(t.getMessage());
        if (t instanceof NoClassDefFoundError && text.startsWith("Could not initialize class org.bytedeco.")) {
            String first = firstLoadFailure;
            return first != null ? first : "the CUDA bindings failed to load earlier in this JVM";
        }
        if (t instanceof LinkageError && firstLoadFailure == null) {
            firstLoadFailure = reason;
        }
        return reason;
    }

    private static String describe(Throwable t) {
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
