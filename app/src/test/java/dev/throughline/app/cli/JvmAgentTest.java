package dev.throughline.app.cli;

import dev.throughline.app.recording.JvmAgent;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How record hands the agent to a java child, and the duration options. */
class JvmAgentTest {
    @Test
    void javaToolOptionsKeepTheExistingValueAndCarryNoToken() {
        Path jar = Path.of("/opt/tl/throughline-jvm-agent.jar");
        assertEquals(Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g -javaagent:/opt/tl/throughline-jvm-agent.jar=interval=10000000ns,out=/tmp/a.tlcap"),
                JvmAgent.javaToolOptions(jar, 100, Path.of("/tmp/a.tlcap"), "-Xmx1g"));
        assertEquals(Map.of("JAVA_TOOL_OPTIONS", "-javaagent:/opt/tl/throughline-jvm-agent.jar=event=off"),
                JvmAgent.javaToolOptions(jar, 0, Path.of("/tmp/with space.tlcap"), null), "no sampling; a path with a space is left out");
    }

    @Test
    void onlyAJavaLauncherGetsTheAgentAndAMissingJarOnlyWarns() {
        assertTrue(JvmAgent.isJavaLauncher(List.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "-jar", "svc.jar")));
        assertFalse(JvmAgent.isJavaLauncher(List.of("/usr/bin/python3", "java")));
        assertFalse(JvmAgent.isJavaLauncher(List.of("javac")));
        String saved = System.getProperty("throughline.home");
        System.setProperty("throughline.home", "/nonexistent-throughline-home");
        try {
            StringWriter err = new StringWriter();
            assertEquals(Map.of(), JvmAgent.forJavaChild(List.of("java", "Main"), 100, Path.of("/tmp/x.tlcap"), null,
                    new PrintWriter(err, true)));
            assertTrue(err.toString().contains("the java command runs unprofiled"), err.toString());
        } finally {
            if (saved == null) {
                System.clearProperty("throughline.home");
            } else {
                System.setProperty("throughline.home", saved);
            }
        }
    }

    @Test
    void durations() throws Exception {
        assertEquals(30_000_000_000L, Durations.parse("30s", "--duration"));
        assertEquals(30_000_000_000L, Durations.parse("30", "--duration"));
        assertEquals(500_000_000L, Durations.parse("500ms", "--duration"));
        assertEquals(120_000_000_000L, Durations.parse("2m", "--duration"));
        assertEquals(10_000L, Durations.parse("10us", "--interval"));
        assertTrue(assertThrows(UserError.class, () -> Durations.parse("soon", "--duration")).getMessage()
                .contains("--duration must be a duration like 500ms, 30s or 2m"));
    }
}
