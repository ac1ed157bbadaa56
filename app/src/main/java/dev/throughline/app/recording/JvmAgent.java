package dev.throughline.app.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where the JVM agent jar is, and how {@code record} hands it to a java child (through {@code JAVA_TOOL_OPTIONS}). */
public final class JvmAgent {
    /** Relative to {@code throughline.home}, as the Python bootstrap is. */
    public static final Path JAR = Path.of("profiler-agents", "jvm", "target", "throughline-jvm-agent.jar");

    private JvmAgent() {
    }

    public static Path home() {
        return Path.of(System.getProperty("throughline.home", ".")).toAbsolutePath().normalize();
    }

    public static Path jar() {
        return home().resolve(JAR);
    }

    /** The jar, or a {@link RecordingError} saying how to build it. */
    public static Path requireJar() throws RecordingError {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new RecordingError("no JVM agent at " + jar + " (throughline.home is " + home()
                    + "); build it with ./throughline or mvn -pl profiler-agents/jvm -am package");
        }
        return jar;
    }

    /**
     * What a {@code record} child's environment gets for the JVM agent: nothing unless COMMAND is a java launcher;
     * without the jar, a warning and nothing (a missing -javaagent jar would stop the JVM from starting at all).
     */
    public static Map<String, String> forJavaChild(List<String> command, int sampleHz, Path out, String existing,
                                            java.io.PrintWriter err) {
        if (!isJavaLauncher(command)) {
            return Map.of();
        }
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            err.println("throughline: warning: no JVM agent at " + jar + " (throughline.home is " + home()
                    + "); the java command runs unprofiled");
            return Map.of();
        }
        return javaToolOptions(jar, sampleHz, out, existing);
    }

    /** Whether COMMAND starts a JVM itself ({@code java}, {@code /usr/bin/java}, ...). */
    public static boolean isJavaLauncher(List<String> command) {
        if (command.isEmpty()) {
            return false;
        }
        Path name = Path.of(command.get(0)).getFileName();
        return name != null && name.toString().equals("java");
    }

    /**
     * {@code JAVA_TOOL_OPTIONS} for a java child: the existing value plus {@code -javaagent:JAR=OPTIONS}. The address
     * and token reach the agent through {@code THROUGHLINE_ADDR}/{@code THROUGHLINE_TOKEN}, not this line (the JVM
     * echoes it on stderr).
     */
    public static Map<String, String> javaToolOptions(Path jar, int sampleHz, Path out, String existing) {
        StringBuilder options = new StringBuilder(sampleHz > 0 ? "interval=" + 1_000_000_000L / sampleHz + "ns" : "event=off");
        String o = out.toString();
        if (o.indexOf(',') < 0 && o.chars().noneMatch(Character::isWhitespace)) {
            options.append(",out=").append(o);
        }
        String agent = "-javaagent:" + jar + "=" + options;
        if (agent.chars().anyMatch(Character::isWhitespace)) {
            agent = '"' + agent + '"';
        }
        return Map.of("JAVA_TOOL_OPTIONS", existing == null || existing.isBlank() ? agent : existing + " " + agent);
    }
}
