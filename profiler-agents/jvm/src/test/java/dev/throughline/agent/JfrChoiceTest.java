package dev.throughline.agent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@code jfr=auto} starts JFR, and what the capture says either way (the real JVMs: AttachCommandTest). */
class JfrChoiceTest {
    private static final String GC = "GC pauses from GarbageCollectorMXBean notifications";

    @Test
    void autoStartsJfrOnlyWhereItCannotFlushTheCompiledCode() {
        JfrChoice attachedTo17 = JfrChoice.decide("auto", false, 17, false);
        assertFalse(attachedTo17.start, "a running JDK 17 whose JFR never started would discard its compiled code");
        assertEquals("off (auto): " + GC + ". JFR not started: in this running JDK 17 its first start would make the JVM"
                + " discard all its JIT-compiled code (JDK-8324241, fixed in JDK 23); attach --jfr on starts it anyway",
                attachedTo17.offText(GC));
        assertFalse(JfrChoice.decide("auto", false, 22, false).start);

        assertTrue(JfrChoice.decide("auto", true, 17, false).start, "at startup nothing is compiled yet");
        assertEquals("on", JfrChoice.decide("auto", true, 17, false).onText());

        JfrChoice alreadyStarted = JfrChoice.decide("auto", false, 17, true);
        assertTrue(alreadyStarted.start, "the flush, if any, happened when JFR first started");
        assertEquals("on (auto: JFR had already started in this JVM, so starting it keeps the compiled code)",
                alreadyStarted.onText());

        JfrChoice jdk23 = JfrChoice.decide("auto", false, 23, false);
        assertTrue(jdk23.start);
        assertEquals("on (auto: JDK 23 keeps the compiled code when JFR starts)", jdk23.onText());
    }

    @Test
    void onAndOffAreObeyedWhateverTheJvm() {
        assertTrue(JfrChoice.decide("on", false, 17, false).start);
        assertEquals("on", JfrChoice.decide("on", false, 17, false).onText());
        JfrChoice off = JfrChoice.decide("off", true, 25, true);
        assertFalse(off.start);
        assertEquals("off (asked): " + GC, off.offText(GC));
    }

    @Test
    void thisTestJvmHasNotStartedJfr() {
        // surefire's JVM runs without -XX:StartFlightRecording; the reflective check must read false, not throw
        assertFalse(JfrChoice.jfrStarted());
    }
}
