package dev.throughline.agent;

import java.util.List;

/**
 * CPU (or wall-clock) stack sampling with async-profiler. The simplest honest design: profile one interval, stop,
 * read its collapsed stacks, start again; each distinct stack of the interval becomes one SAMPLE (weight = samples,
 * timestamp = the interval's end). The few milliseconds between stop and start are not sampled.
 * Only the control thread calls it.
 */
final class CpuSampler {
    private final AsyncProfilerHandle profiler;
    private final String startCommand;
    /** The event that actually runs: {@code itimer}, {@code cpu} (perf_events cpu-clock), {@code ctimer} or {@code wall}. */
    final String engine;
    /** Why the requested event did not run, or null. */
    final String fallback;
    private boolean running;

    private CpuSampler(AsyncProfilerHandle profiler, String startCommand, String engine, String fallback) {
        this.profiler = profiler;
        this.startCommand = startCommand;
        this.engine = engine;
        this.fallback = fallback;
        this.running = true;
    }

    /** Starts sampling with {@code event}; {@code cpu} (perf_events) or {@code ctimer} refused → {@code itimer}. */
    static CpuSampler start(AsyncProfilerHandle profiler, String event, long intervalNs) throws Exception {
        String status = profiler.execute("status");
        if (status != null && !status.contains("not active")) {
            throw new Exception("async-profiler is already profiling in this process (its own session is left alone)");
        }
        String fallback = null;
        String engine = event;
        try {
            profiler.execute(command(event, intervalNs));
        } catch (Exception e) {
            if (!event.equals("cpu") && !event.equals("ctimer")) {
                throw e;
            }
            fallback = (event.equals("cpu") ? "cpu (perf_events)" : "ctimer") + " refused: " + e.getMessage();
            engine = "itimer";
            profiler.execute(command(engine, intervalNs));
        }
        return new CpuSampler(profiler, command(engine, intervalNs), engine, fallback);
    }

    /**
     * async-profiler's own {@code cpu} silently becomes ctimer/itimer where perf_events are refused (seccomp,
     * paranoid level), so the capture could not say what ran; {@code cpu-clock} is the same perf_events clock with no
     * fallback, and the fallback is made here, said in META.
     */
    private static String command(String event, long intervalNs) {
        return "start,event=" + (event.equals("cpu") ? "cpu-clock" : event) + ",interval=" + intervalNs + ",threads";
    }

    /** Ends the interval: sends its stacks and, unless {@code last}, starts the next one. */
    void cycle(Sender out, ThreadIds threads, boolean last) throws Exception {
        if (!running) {
            return;
        }
        profiler.execute("stop");
        running = false;
        long now = System.nanoTime();
        String collapsed = profiler.execute("collapsed");
        if (!last) {
            profiler.execute(startCommand);
            running = true;
        }
        List<CollapsedStacks.Stack> stacks = CollapsedStacks.parse(collapsed);
        for (CollapsedStacks.Stack s : stacks) {
            long tid = threads.forSample(out, s.osTid, s.threadName);
            out.offerWaiting(new Event.Sample(tid, now, s.count, s.frames), 50);
        }
    }

    /** Stops without reading (on a failure path). */
    void stopQuietly() {
        if (running) {
            running = false;
            try {
                profiler.execute("stop");
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }
}
