package dev.throughline.app.recording;

import dev.throughline.app.capture.CollectorStats;
import dev.throughline.app.report.Units;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs one {@link Recording} on its own thread for a window (the workbench's record dialog): starts it, reports
 * live counters every {@code tickMs}, and closes the capture once it ends by itself or {@link #stop()} is called.
 * The listener is called on the runner's thread; a UI hands the calls to its own thread.
 */
public final class RecordingRunner {
    /** How long an attached agent may take to say BYE after it was asked to stop. */
    private static final long STOP_WAIT_NS = 10_000_000_000L;

    public interface Listener {
        void started(Recording recording);

        void tick(LiveCounters counters);

        /** The capture was closed; {@code why}: how the recording ended ("stopped", or the recording's reason). */
        void done(Path capture, CollectorStats stats, String why);

        /** It could not start or the capture could not be written: a message for the user, no stack trace. */
        void failed(String message);
    }

    /** The counters shown while recording. */
    public record LiveCounters(long elapsedNs, CollectorStats stats) {
        /** Label → value, in the order shown; "last step" only once there are steps. */
        public Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("elapsed", String.format(java.util.Locale.ROOT, "%.1f s", elapsedNs / 1e9));
            f.put("processes", Long.toString(stats.processes()));
            f.put("steps", String.format("%,d", stats.steps()));
            f.put("events", String.format("%,d", stats.events()));
            f.put("drops", String.format("%,d", stats.drops()));
            if (stats.steps() > 0) {
                f.put("last step", Units.duration(stats.lastStepNs()));
            }
            return f;
        }
    }

    private final Thread thread;
    private volatile boolean stopRequested;

    private RecordingRunner(Callable<Recording> starter, Listener listener, long tickMs) {
        this.thread = new Thread(() -> run(starter, listener, tickMs), "throughline-recording");
        thread.setDaemon(true);
    }

    /** {@code starter} runs on the runner's thread (attaching or starting a child can take a while). */
    public static RecordingRunner start(Callable<Recording> starter, Listener listener, long tickMs) {
        RecordingRunner r = new RecordingRunner(starter, listener, tickMs);
        r.thread.start();
        return r;
    }

    /** Ends the recording early: the child is stopped, or the agent asked to stop; the capture is then closed. */
    public void stop() {
        stopRequested = true;
        thread.interrupt();
    }

    /** Waits for the runner's end (tests). */
    public boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run(Callable<Recording> starter, Listener listener, long tickMs) {
        Recording recording;
        try {
            recording = starter.call();
        } catch (RecordingError e) {
            listener.failed(e.getMessage());
            return;
        } catch (Exception | LinkageError e) {
            listener.failed(message(e));
            return;
        }
        listener.started(recording);
        // the workbench may exit while it records: stop the child (or the agent) and close the capture anyway
        Thread hook = new Thread(() -> {
            recording.stop();
            try {
                recording.finish();
            } catch (IOException | RuntimeException e) {
                // exiting: nothing left to tell
            }
        }, "throughline-recording-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            record(recording, listener, tickMs);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // the hook runs
            }
        }
    }

    private void record(Recording recording, Listener listener, long tickMs) {
        String why;
        long nextTick = 0;
        try {
            while (true) {
                if (System.nanoTime() >= nextTick) {
                    listener.tick(new LiveCounters(recording.elapsedNs(), recording.stats()));
                    nextTick = System.nanoTime() + tickMs * 1_000_000L;
                }
                if (stopRequested) {
                    why = "stopped";
                    recording.stop();
                    long until = System.nanoTime() + STOP_WAIT_NS;
                    while (recording.ended() == null && System.nanoTime() < until) {
                        sleepQuietly(100);
                    }
                    break;
                }
                why = recording.ended();
                if (why != null) {
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    // stop() interrupts the wait; the loop sees stopRequested
                }
            }
        } catch (RecordingError e) {
            listener.failed(e.getMessage());
            return;
        }
        try {
            CollectorStats stats = recording.finish();
            listener.done(recording.capturePath(), stats, why);
        } catch (IOException | RuntimeException e) {
            listener.failed("the capture was not written: " + message(e));
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // still waiting for the agent's end
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
