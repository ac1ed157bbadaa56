package dev.throughline.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link ServiceTarget} running as a child JVM, driven through its stdin/stdout. */
final class JvmChild implements AutoCloseable {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The target's classes and the API jar's, from the reactor's build folders (surefire runs in app/). */
    static final String CLASS_PATH = Path.of("target", "test-classes").toAbsolutePath() + java.io.File.pathSeparator
            + Path.of("..", "profiler-agents", "api", "target", "classes").toAbsolutePath().normalize();

    final Process process;
    final long pid;
    private final BufferedReader out;
    private final PrintWriter in;

    private JvmChild(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            throw new IOException("the target did not start: " + ready);
        }
        this.pid = Long.parseLong(ready.substring(6).trim());
    }

    /** Small heap so that GCs happen within a two-second recording. */
    static List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of(JAVA, "-Xmx64m", "-XX:+UseG1GC", "-cp", CLASS_PATH,
                ServiceTarget.class.getName()));
        c.addAll(Arrays.asList(args));
        return c;
    }

    /** The same target with extra class path entries (e.g. the JavaCPP CUDA presets). */
    static List<String> commandWithClassPath(String extraClassPath, String... args) {
        List<String> c = new ArrayList<>(List.of(JAVA, "-Xmx64m", "-XX:+UseG1GC", "-cp",
                CLASS_PATH + java.io.File.pathSeparator + extraClassPath, ServiceTarget.class.getName()));
        c.addAll(Arrays.asList(args));
        return c;
    }

    static JvmChild start() throws IOException {
        return new JvmChild(new ProcessBuilder(command()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** With extra environment, its stderr into a file. */
    static JvmChild start(java.util.Map<String, String> env, Path stderr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command()).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        return new JvmChild(pb.start());
    }

    /** The names of the target's live threads. */
    List<String> threads() throws IOException {
        in.println("threads");
        String line = out.readLine();
        if (line == null || !line.startsWith("threads ")) {
            throw new IOException("no thread list from the target: " + line);
        }
        return List.of(line.substring(8).split("\\|"));
    }

    /** Batches whose requests were marked while an agent's sink was installed. */
    long served() throws IOException {
        in.println("served");
        String line = out.readLine();
        if (line == null || !line.startsWith("served ")) {
            throw new IOException("no served count from the target: " + line);
        }
        return Long.parseLong(line.substring(7).trim());
    }

    void exit() {
        in.println("exit");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
