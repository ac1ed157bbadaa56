package dev.throughline.app.recording;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Local JVMs: which pids are JVMs, and attaching to one. A pid is checked before any attach, because the attach
 * handshake signals the target (SIGQUIT), which would kill a process that is not a JVM.
 */
public final class JvmProcesses {
    /** Set by the agent while it records (its value names the collector); see profiler-agents/jvm. */
    public static final String RECORDING_PROPERTY = "throughline.agent.recording";

    private JvmProcesses() {
    }

    /** The pid as a JVM this user may attach to, or a {@link RecordingError} naming the pid and why not. */
    public static void requireJvm(long pid) throws RecordingError {
        if (pid == ProcessHandle.current().pid()) {
            throw new RecordingError("pid " + pid + " is this throughline process itself");
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            throw new RecordingError("no process with pid " + pid + " (it has exited, or never existed)");
        }
        if (listed(pid) || mapsLibjvm(pid)) {
            return;
        }
        String what = p.get().info().command().orElse("?");
        throw new RecordingError("pid " + pid + " (" + what + ") is not a Java virtual machine this user can attach to"
                + " (for a Python process, use throughline record)");
    }

    public static boolean listed(long pid) {
        String id = Long.toString(pid);
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** A JVM started with -XX:-UsePerfData is not listed; its memory map still shows libjvm. */
    private static boolean mapsLibjvm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "maps")).contains("/libjvm.so");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Attaches; a {@link RecordingError} naming the pid when the JVM does not answer. */
    public static VirtualMachine attach(long pid) throws RecordingError {
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (com.sun.tools.attach.AttachNotSupportedException | IOException e) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new RecordingError("cannot attach to pid " + pid + ": " + e.getMessage()
                        + " (another user's JVM, or started with -XX:+DisableAttachMechanism?)");
            }
            throw new RecordingError("no process with pid " + pid + " (it exited while attaching)");
        }
    }

    /** The running Throughline recording's description in that JVM, or null: one attach, then detached. */
    public static String recording(long pid) throws IOException, RecordingError {
        VirtualMachine vm = attach(pid);
        try {
            return recording(vm.getSystemProperties());
        } finally {
            vm.detach();
        }
    }

    public static String recording(Properties props) {
        return props.getProperty(RECORDING_PROPERTY);
    }
}
