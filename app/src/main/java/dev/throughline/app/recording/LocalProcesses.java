package dev.throughline.app.recording;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The local processes Throughline can profile: JVMs (attach) and Python processes (record), with whether a
 * Throughline agent already records them. {@code throughline ps} prints them; the workbench's record dialog lists them.
 */
public final class LocalProcesses {
    /** {@code python}, {@code python3}, {@code python3.11}, as a file name. */
    private static final Pattern PYTHON = Pattern.compile("python[0-9.]*");
    private static final String AGENT_JAR = JvmAgent.JAR.getFileName().toString();

    /**
     * @param kind  {@code jvm} or {@code python}
     * @param agent {@code yes}, {@code -} (none), or {@code ?} (not readable: another user's process)
     */
    public record Row(long pid, String kind, String name, String agent) {
        public boolean isJvm() {
            return kind.equals("jvm");
        }
    }

    private LocalProcesses() {
    }

    /** JVMs and Python processes, by pid. */
    public static List<Row> list() {
        List<Row> rows = new ArrayList<>(jvms());
        rows.addAll(pythons(Path.of("/proc")));
        rows.sort(Comparator.comparingLong(Row::pid));
        return rows;
    }

    public static List<Row> jvms() {
        long self = ProcessHandle.current().pid();
        List<Row> rows = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            String name = d.displayName().isBlank() ? "?" : d.displayName();
            rows.add(new Row(pid, "jvm", name, jvmAgent(pid)));
        }
        return rows;
    }

    /**
     * Never signals a JVM: attaching to one whose attach listener is not running yet starts it with SIGQUIT (fatal to
     * a JVM run with -Xrs). A dynamically loaded agent implies a running listener, so the property is read only
     * there; otherwise the agent can only have come from the command line or JAVA_TOOL_OPTIONS ({@code record}).
     */
    private static String jvmAgent(long pid) {
        String socket = ".java_pid" + pid;
        if (Files.exists(Path.of("/proc", Long.toString(pid), "root", "tmp", socket)) || Files.exists(Path.of("/tmp", socket))) {
            try {
                return JvmProcesses.recording(pid) == null ? "-" : "yes";
            } catch (IOException | RecordingError | RuntimeException e) {
                return "?";
            }
        }
        List<String> argv = nulSeparated(Path.of("/proc", Long.toString(pid), "cmdline"));
        List<String> env = nulSeparated(Path.of("/proc", Long.toString(pid), "environ"));
        boolean onCommandLine = argv != null && argv.stream().anyMatch(a -> a.startsWith("-javaagent:") && a.contains(AGENT_JAR));
        boolean inToolOptions = env != null && env.stream().anyMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS=") && e.contains(AGENT_JAR));
        if (onCommandLine || inToolOptions) {
            return "yes";
        }
        return env == null ? "?" : "-";
    }

    /** Processes whose argv[0] is a python binary; their script (or -m module, -c) as the name. */
    public static List<Row> pythons(Path proc) {
        List<Row> rows = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                List<String> argv = nulSeparated(dir.resolve("cmdline"));
                if (argv == null || argv.isEmpty()) {
                    continue;
                }
                Path exe = Path.of(argv.get(0)).getFileName();
                if (exe == null || !PYTHON.matcher(exe.toString()).matches()) {
                    continue;
                }
                List<String> env = nulSeparated(dir.resolve("environ"));
                String agent = env == null ? "?" : env.stream().anyMatch(e -> e.startsWith("THROUGHLINE_TOKEN=")) ? "yes" : "-";
                rows.add(new Row(Long.parseLong(dir.getFileName().toString()), "python", pythonName(argv), agent));
            }
        } catch (IOException e) {
            // no /proc: no Python rows
        }
        return rows;
    }

    public static String pythonName(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-m") || a.equals("-c")) {
                return i + 1 < argv.size() && a.equals("-m") ? "-m " + argv.get(i + 1) : "-c …";
            }
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return argv.get(0);
    }

    private static List<String> nulSeparated(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            List<String> parts = new ArrayList<>();
            for (String s : text.split("\0")) {
                if (!s.isEmpty()) {
                    parts.add(s);
                }
            }
            return parts;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
