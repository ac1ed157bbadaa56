package dev.throughline.samples.serving;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * With {@code --progress FILE}: once a second, one line {@code epoch_ms ok errors cpu_ticks}, flushed at once, where
 * {@code cpu_ticks} is the user + system time of process {@code --cpu-of PID} (clock ticks from /proc/PID/stat; -1
 * without it). The count and the CPU are read at the same instant, so a bench can cut one long load into windows
 * (between two lines) and get each window's requests/s and CPU per request without restarting this generator, whose
 * own warm-up would otherwise change the load at the start of every window.
 */
final class ProgressLog implements AutoCloseable {
    private final PrintStream out;
    private final Path statFile;
    private final AtomicLong ok;
    private final AtomicLong errors;
    private final Thread thread;

    ProgressLog(Path file, long cpuOfPid, AtomicLong ok, AtomicLong errors) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.US_ASCII);
        this.statFile = cpuOfPid > 0 ? Path.of("/proc", Long.toString(cpuOfPid), "stat") : null;
        this.ok = ok;
        this.errors = errors;
        this.thread = new Thread(this::run, "progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long next = (System.currentTimeMillis() / 1000 + 1) * 1000; // on whole seconds: lines of two logs line up
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                line();
                next += 1000;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void line() {
        long ms = System.currentTimeMillis();
        long ticks = cpuTicks();
        out.println(ms + " " + ok.get() + " " + errors.get() + " " + ticks);
    }

    /** utime + stime (fields 14 and 15) of /proc/PID/stat, or -1 (no PID, or the process is gone). */
    private long cpuTicks() {
        if (statFile == null) {
            return -1;
        }
        try {
            String stat = Files.readString(statFile);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        line(); // the last partial second
        out.close();
    }
}
