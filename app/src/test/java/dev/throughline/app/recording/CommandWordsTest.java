package dev.throughline.app.recording;

import dev.throughline.app.capture.CollectorStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the dialog's command field becomes argv, and the live counters it shows. */
class CommandWordsTest {
    @Test
    void splitsLikeAShellSimpleCommand() throws Exception {
        assertEquals(List.of("/usr/bin/python3", "samples/pytorch-train/train.py", "--workers", "0"),
                CommandWords.split("  /usr/bin/python3 samples/pytorch-train/train.py   --workers 0 "));
        assertEquals(List.of("python3", "-c", "print('a b')"), CommandWords.split("python3 -c \"print('a b')\""));
        assertEquals(List.of("echo", "it's", "a\"b", ""), CommandWords.split("echo it\\'s 'a\"b' ''"));
        assertEquals(List.of("a b"), CommandWords.split("a\\ b"));
        assertEquals(List.of(), CommandWords.split("   "));
        assertTrue(assertThrows(RecordingError.class, () -> CommandWords.split("python3 -c 'x")).getMessage()
                .contains("unclosed single quote"));
    }

    @Test
    void liveCountersShowTheLastStepOnceThereAreSteps() {
        Map<String, String> none = new RecordingRunner.LiveCounters(1_240_000_000L,
                new CollectorStats(1, 0, 0, 1234, 0, 0)).fields();
        assertEquals(List.of("elapsed", "processes", "steps", "events", "drops"), List.copyOf(none.keySet()));
        assertEquals("1.2 s", none.get("elapsed"), "tenths of a second");
        assertEquals("1,234", none.get("events"));
        Map<String, String> some = new RecordingRunner.LiveCounters(3_000_000_000L,
                new CollectorStats(2, 0, 12, 50_000, 3, 52_300_000L)).fields();
        assertEquals("12", some.get("steps"));
        assertEquals("3", some.get("drops"));
        assertEquals("52.30 ms", some.get("last step"));
    }
}
