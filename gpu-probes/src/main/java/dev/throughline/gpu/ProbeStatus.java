package dev.throughline.gpu;

/**
 * Whether a GPU probe can run here, and if not, why — said once, in words a user can act on
 * ("unavailable: no NVIDIA driver (libcuda.so.1 not found)"), never as a stack trace.
 */
public final class ProbeStatus {
    private final boolean available;
    private final String detail;

    private ProbeStatus(boolean available, String detail) {
        this.available = available;
        this.detail = detail;
    }

    public static ProbeStatus available(String detail) {
        return new ProbeStatus(true, detail);
    }

    public static ProbeStatus unavailable(String reason) {
        return new ProbeStatus(false, reason);
    }

    public boolean isAvailable() {
        return available;
    }

    /** What was found (available) or why not (unavailable). */
    public String detail() {
        return detail;
    }

    /** The text stored in a capture's meta and shown by report and the workbench. */
    @Override
    public String toString() {
        return available ? "available: " + detail : "unavailable: " + detail;
    }
}
