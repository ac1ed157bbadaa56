package dev.throughline.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The async-profiler instance the agent drives, reached through reflection so that it may be the host's own: a native
 * library can belong to one class loader only, and two copies in one process would fight over the same signals.
 * In order: the host's loaded {@code one.profiler.AsyncProfiler} class; a libasyncProfiler.so already mapped into the
 * process (e.g. {@code -agentpath}); else the library bundled in this jar, extracted to a temporary file.
 */
final class AsyncProfilerHandle {
    private static final String CLASS = "one.profiler.AsyncProfiler";

    private final Object instance;
    private final Method execute;
    /** Where it came from, for the capture's meta: {@code bundled 4.2}, {@code host's 3.0}, ... */
    final String origin;

    private AsyncProfilerHandle(Object instance, String origin) throws NoSuchMethodException {
        this.instance = instance;
        this.execute = instance.getClass().getMethod("execute", String.class);
        this.origin = origin;
    }

    /** @throws Exception with the reason when no profiler can be had here */
    static AsyncProfilerHandle open(Instrumentation inst) throws Exception {
        Class<?> hosts = loadedByHost(inst);
        if (hosts != null) {
            try {
                Object p = hosts.getMethod("getInstance").invoke(null);
                return new AsyncProfilerHandle(p, (fromThisJar(hosts) ? "bundled (loaded by an earlier recording) " : "host's ")
                        + version(p));
            } catch (InvocationTargetException e) {
                throw new Exception("the host has its own async-profiler class (" + hosts.getClassLoader()
                        + ") whose library does not load: " + e.getCause(), e);
            }
        }
        String mapped = mappedLibrary();
        Class<?> ours = Class.forName(CLASS, true, AsyncProfilerHandle.class.getClassLoader());
        Method getInstance = ours.getMethod("getInstance", String.class);
        if (mapped != null) {
            Object p = unwrap(() -> getInstance.invoke(null, mapped));
            return new AsyncProfilerHandle(p, "already loaded " + version(p) + " (" + mapped + ")");
        }
        Path lib = extract();
        try {
            Object p = unwrap(() -> getInstance.invoke(null, lib.toString()));
            return new AsyncProfilerHandle(p, "bundled " + version(p));
        } finally {
            Files.deleteIfExists(lib); // mapped now; the file is not needed any more
        }
    }

    /**
     * Runs one async-profiler command with its log off: the library logs to the host's stdout by default (e.g.
     * "[INFO] No samples were collected" for an interval without samples), and the host's output is not ours to
     * write to. Failures still arrive as exceptions with async-profiler's message.
     */
    String execute(String command) throws Exception {
        return (String) unwrap(() -> execute.invoke(instance, command + ",loglevel=none"));
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static Object unwrap(Call c) throws Exception {
        try {
            return c.call();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw new Exception(String.valueOf(cause), cause);
        }
    }

    private static String version(Object p) {
        try {
            return "async-profiler " + p.getClass().getMethod("getVersion").invoke(p);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "async-profiler";
        }
    }

    private static Class<?> loadedByHost(Instrumentation inst) {
        if (inst == null) {
            return null;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(CLASS)) {
                return c;
            }
        }
        return null;
    }

    private static boolean fromThisJar(Class<?> c) {
        try {
            return c.getProtectionDomain().getCodeSource().getLocation()
                    .equals(AsyncProfilerHandle.class.getProtectionDomain().getCodeSource().getLocation());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A libasyncProfiler.so already in the process's memory map, or null. */
    private static String mappedLibrary() {
        try {
            List<String> maps = Files.readAllLines(Paths.get("/proc/self/maps"));
            for (String line : maps) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith("libasyncProfiler.so")) {
                    return line.substring(slash);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: assume none
        }
        return null;
    }

    private static Path extract() throws Exception {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String dir;
        if (!os.contains("linux")) {
            throw new Exception("async-profiler is bundled for Linux only, this is " + os);
        } else if (arch.equals("amd64") || arch.equals("x86_64")) {
            dir = "linux-x64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            dir = "linux-arm64";
        } else {
            throw new Exception("async-profiler is bundled for x64 and arm64, this is " + arch);
        }
        try (InputStream in = AsyncProfilerHandle.class.getResourceAsStream("/" + dir + "/libasyncProfiler.so")) {
            if (in == null) {
                throw new Exception("the agent jar lacks " + dir + "/libasyncProfiler.so");
            }
            Path tmp = Files.createTempFile("throughline-asprof-", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }
}
