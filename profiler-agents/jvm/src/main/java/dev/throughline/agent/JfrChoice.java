package dev.throughline.agent;

/**
 * Whether a recording starts JFR ({@code jfr=on|off|auto}), and the words the capture keeps about it.
 * <p>
 * Why {@code auto} exists: on JDKs before 23, the first start of JFR in a JVM that has run for a while makes HotSpot
 * discard every JIT-compiled method (JFR retransforms a few JDK classes, and a JVM that did not have the JVMTI
 * capability from startup recorded no dependencies, so it flushes everything; JDK-8324241, fixed in JDK 23). On
 * samples/jvm-serving attached after warm-up that is ~1,600 methods made not entrant within a second and the JIT compiling
 * for ~24 s at ~30 % of a core, the service's own threads getting a third less CPU meanwhile (bench/RESULTS.md,
 * run-jvm-jit.sh); the capture would show a JVM recompiling itself, not the program the user had. So {@code auto}
 * starts JFR only where that costs little or nothing: at JVM startup ({@code -javaagent}: the flush comes within its
 * first second and drops ~1,100 start-up methods, mostly C1's, measured with {@code record}), in a JVM whose
 * JFR already started once (the flush, if any, is behind it), or on JDK 23+. Elsewhere GC pauses come from the
 * collectors' MXBean notifications, and {@code jfr=on} starts JFR anyway.
 */
final class JfrChoice {
    /** The first JDK that keeps compiled code when JFR starts late (JDK-8324241). */
    static final int JDK_KEEPS_CODE = 23;

    /** Whether to start JFR. */
    final boolean start;
    /** Why, in the capture's words; null when JFR starts because it was asked for or at startup. */
    final String why;
    private final boolean asked;

    private JfrChoice(boolean start, String why) {
        this(start, why, false);
    }

    private JfrChoice(boolean start, String why, boolean asked) {
        this.start = start;
        this.why = why;
        this.asked = asked;
    }

    /**
     * @param asked       {@code on}, {@code off} or {@code auto}
     * @param atStartup   loaded with {@code -javaagent} (premain), not attached to a running JVM
     * @param jdkFeature  {@code Runtime.version().feature()}
     * @param jfrStarted  whether JFR was already initialized in this JVM
     */
    static JfrChoice decide(String asked, boolean atStartup, int jdkFeature, boolean jfrStarted) {
        if (asked.equals("on")) {
            return new JfrChoice(true, null);
        }
        if (asked.equals("off")) {
            return new JfrChoice(false, null, true);
        }
        if (atStartup) {
            return new JfrChoice(true, null);
        }
        if (jfrStarted) {
            return new JfrChoice(true, "auto: JFR had already started in this JVM, so starting it keeps the compiled code");
        }
        if (jdkFeature >= JDK_KEEPS_CODE) {
            return new JfrChoice(true, "auto: JDK " + jdkFeature + " keeps the compiled code when JFR starts");
        }
        return new JfrChoice(false, "JFR not started: in this running JDK " + jdkFeature + " its first start would make"
                + " the JVM discard all its JIT-compiled code (JDK-8324241, fixed in JDK " + JDK_KEEPS_CODE + "); attach"
                + " --jfr on starts it anyway");
    }

    /** META {@code jfr} when JFR runs. */
    String onText() {
        return why == null ? "on" : "on (" + why + ")";
    }

    /** META {@code jfr} when it does not: what gives GC pauses instead ({@code gcStatus}), and why. */
    String offText(String gcStatus) {
        return asked ? "off (asked): " + gcStatus : "off (auto): " + gcStatus + ". " + why;
    }

    /** Whether JFR was initialized in this JVM (by -XX:StartFlightRecording, jcmd, an earlier recording, ...). */
    static boolean jfrStarted() {
        try {
            Object initialized = Class.forName("jdk.jfr.FlightRecorder").getMethod("isInitialized").invoke(null);
            return Boolean.TRUE.equals(initialized);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException noJfr) {
            return false; // a runtime without jdk.jfr
        }
    }
}
