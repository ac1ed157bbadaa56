package dev.throughline.agent;

/**
 * JFR streaming (GC pauses, safepoints, thread parks). This base version is the stub for JDKs before 17: the real
 * one, on {@code jdk.jfr.consumer.RecordingStream}, is in {@code META-INF/versions/17} of the multi-release jar and
 * has the same methods.
 */
final class JfrSource {
    private JfrSource() {
    }

    /** Never null; {@link #status()} says whether it runs. */
    static JfrSource start(Sender out, ThreadIds threads, long parkThresholdNs) {
        return new JfrSource();
    }

    /** {@code on}, or {@code unavailable: reason}. */
    String status() {
        String version = System.getProperty("java.specification.version", "?");
        if (version.matches("\\d+") && Integer.parseInt(version) >= 17) { // only when multi-release jars are turned off
            return "unavailable: this JVM did not load the agent jar's Java 17 classes (jdk.util.jar.enableMultiRelease?)";
        }
        return "unavailable: JDK " + version + " < 17 (JFR streaming needs 14+; the agent's is built for 17)";
    }

    /** Sends what is still held back and closes the stream. */
    void close() {
    }
}
