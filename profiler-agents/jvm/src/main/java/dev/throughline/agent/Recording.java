package dev.throughline.agent;

import dev.throughline.protocol.Handshake;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One recording in this JVM, run by the control thread ({@code throughline-agent}): connects, starts the sources,
 * then every tick reads counters, every second cycles the profiler, names threads and looks for the API; stops when
 * the duration ends, the collector goes, the host exits (shutdown hook) or {@code stop} is asked. Stopping undoes
 * everything it did: the API sink uninstalled, async-profiler stopped, JFR closed, the recording property cleared,
 * BYE sent; no agent thread is left.
 */
final class Recording {
    /** Set while recording: the collector's address (and the capture's path when known). */
    static final String PROPERTY = "throughline.agent.recording";
    /**
     * The control thread wakes every tick (and at once when a stop is asked). Each wake-up of a mostly idle thread
     * costs ~100 µs of CPU on these VMs (a bare Thread.sleep loop: 90 µs), so the tick is as long as the shortest
     * period below; things fall due within half a tick.
     */
    private static final long TICK_MS = 250;
    private static final long TICK_NS = TICK_MS * 1_000_000L;
    private static final long COUNTERS_EVERY_NS = 250_000_000L;
    private static final long CYCLE_EVERY_NS = 1_000_000_000L;
    /** Looking for the API walks every loaded class (~16 % of this thread's CPU at every 2 s): 2 s until found, then 10 s. */
    private static final long API_SCAN_EVERY_NS = 2_000_000_000L;
    private static final long API_RESCAN_EVERY_NS = 10_000_000_000L;
    /** Whether the collector has gone: a 1 ms timed read, a quarter of this thread's CPU when done every tick. */
    private static final long PROBE_COLLECTOR_EVERY_NS = 1_000_000_000L;

    private static final AtomicReference<Recording> CURRENT = new AtomicReference<>();

    private final AgentArgs args;
    private final Instrumentation inst;
    /** Loaded with -javaagent (premain), not attached to a JVM that has been running. */
    private final boolean atStartup;
    private final Thread control;
    private final Thread shutdownHook;
    private volatile boolean stopRequested;
    private final Object tick = new Object();
    private volatile String stopReason = "stopped";

    private Recording(AgentArgs args, Instrumentation inst, boolean atStartup) {
        this.args = args;
        this.inst = inst;
        this.atStartup = atStartup;
        this.control = new Thread(this::run, "throughline-agent");
        control.setDaemon(true);
        this.shutdownHook = new Thread(this::onHostExit, "throughline-agent-exit");
    }

    /** Starts a recording on its own thread; the caller (premain/agentmain) returns at once. */
    static void start(AgentArgs args, Instrumentation inst, boolean atStartup) {
        String running = System.getProperty(PROPERTY);
        if (running != null) {
            throw new IllegalStateException("this JVM is already being recorded (" + PROPERTY + " = " + running + ")");
        }
        Recording r = new Recording(args, inst, atStartup);
        if (!CURRENT.compareAndSet(null, r)) {
            throw new IllegalStateException("this JVM is already being recorded");
        }
        System.setProperty(PROPERTY, args.address() + (args.out == null ? "" : " out=" + args.out));
        r.control.start();
    }

    /** Asks the running recording (if any) to stop, and waits for it a little. */
    static void stopCurrent() {
        Recording r = CURRENT.get();
        if (r != null) {
            r.requestStop("stop requested");
            join(r.control, 5000);
        }
    }

    private void requestStop(String why) {
        if (!stopRequested) {
            stopReason = why;
            stopRequested = true;
        }
        synchronized (tick) {
            tick.notifyAll();
        }
    }

    private void onHostExit() {
        requestStop("the host is exiting");
        join(control, 3000);
    }

    private void run() {
        Sender sender = null;
        CpuSampler sampler = null;
        JfrSource jfr = null;
        GcNotifications gcNotifications = null;
        ApiBridge api = null;
        GpuTracing gpu = null;
        try {
            try {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                return;
            }
            sender = Sender.connect(args, handshake());
            ThreadIds threads = new ThreadIds();
            sender.offer(new Event.Meta("agent", "throughline-jvm-agent " + version()));
            sender.offer(new Event.Meta("java.version", System.getProperty("java.version", "?")));
            sampler = startSampler(sender);
            JfrChoice choice = JfrChoice.decide(args.jfr, atStartup, Runtime.version().feature(), JfrChoice.jfrStarted());
            String unavailable = null; // why JFR, to start, could not
            if (choice.start) {
                try {
                    jfr = JfrSource.start(sender, threads, args.parkThresholdNs);
                    unavailable = jfr.status().equals("on") ? null : jfr.status();
                } catch (LinkageError noJfrModule) { // a jlink-ed runtime without jdk.jfr cannot even link JfrSource
                    unavailable = "unavailable: " + noJfrModule;
                }
            }
            String jfrStatus;
            if (choice.start && unavailable == null) {
                jfrStatus = choice.onText();
            } else { // GC pauses at least, from the collectors' notifications
                String gcStatus;
                try {
                    gcNotifications = GcNotifications.start(sender, threads);
                    gcStatus = gcNotifications.status();
                } catch (LinkageError | RuntimeException noManagement) { // jdk.management absent
                    gcStatus = "GC notifications unavailable: " + noManagement;
                }
                jfrStatus = unavailable == null ? choice.offText(gcStatus) : unavailable + "; " + gcStatus;
            }
            sender.offer(new Event.Meta("jfr", jfrStatus));
            gpu = GpuTracing.startOrSay(sender);
            api = new ApiBridge(sender);
            api.scan(inst);
            sender.offer(new Event.Meta("api", api.installedCount() > 0 ? "connected" : "not loaded (yet)"));
            final Sender out = sender;
            JvmCounters counters = new JvmCounters();
            guarded(sender, "threads", () -> threads.refresh(out));
            final JvmCounters first = counters;
            counters = guarded(sender, "counters", () -> first.read(out)) ? counters : null;

            AgentCpu.Reading setupCost = AgentCpu.read(); // the agent's threads so far: the one-time setup
            long started = System.nanoTime();
            long nextCounters = started + COUNTERS_EVERY_NS;
            long nextCycle = started + CYCLE_EVERY_NS;
            long nextScan = started + API_SCAN_EVERY_NS;
            long nextProbe = started + PROBE_COLLECTOR_EVERY_NS;
            boolean apiSaid = api.installedCount() > 0;
            while (!stopRequested) {
                long untilEndMs = args.durationNs > 0
                        ? Math.max(1, (started + args.durationNs - System.nanoTime() + 999_999) / 1_000_000) : TICK_MS;
                synchronized (tick) {
                    if (!stopRequested) {
                        tick.wait(Math.min(TICK_MS, untilEndMs));
                    }
                }
                long now = System.nanoTime();
                if (stopRequested) {
                    break;
                }
                if (args.durationNs > 0 && now - started >= args.durationNs) {
                    requestStop("duration reached");
                } else if (due(now, nextProbe)) {
                    if (sender.collectorGone()) {
                        requestStop(sender.brokenWhy());
                    }
                    nextProbe = now + PROBE_COLLECTOR_EVERY_NS;
                }
                if (due(now, nextCounters) && counters != null) {
                    final JvmCounters c = counters;
                    counters = guarded(sender, "counters", () -> c.read(out)) ? counters : null;
                    nextCounters = next(nextCounters, COUNTERS_EVERY_NS, now);
                }
                if (due(now, nextCycle)) {
                    guarded(sender, "threads", () -> threads.refresh(out));
                    if (sampler != null) {
                        final CpuSampler s = sampler;
                        if (!guarded(sender, "profiler", () -> s.cycle(out, threads, false))) {
                            s.stopQuietly();
                            sampler = null;
                        }
                    }
                    nextCycle = next(nextCycle, CYCLE_EVERY_NS, now);
                }
                if (due(now, nextScan)) {
                    final ApiBridge a = api;
                    guarded(sender, "api", () -> a.scan(inst));
                    if (!apiSaid && api.installedCount() > 0) {
                        sender.offer(new Event.Meta("api", "connected"));
                        apiSaid = true;
                    }
                    nextScan = now + (api.installedCount() > 0 ? API_RESCAN_EVERY_NS : API_SCAN_EVERY_NS);
                }
            }
            // before the JFR stream's thread ends with its stream; the last cycle's dump is not in it
            AgentCpu.Reading end = AgentCpu.read();
            AgentCpu.Reading cost = end == null ? null : end.since(setupCost);
            long wallNs = System.nanoTime() - started;
            api.uninstall();
            api = null;
            if (sampler != null) {
                threads.refresh(sender);
                sampler.cycle(sender, threads, true); // the last partial interval
                sampler = null;
            }
            if (jfr != null) {
                jfr.close();
                jfr = null;
            }
            if (gcNotifications != null) {
                gcNotifications.close();
                gcNotifications = null;
            }
            if (gpu != null) {
                gpu.close(); // flushes CUPTI's last buffers into the sender
                gpu = null;
            }
            if (counters != null) {
                counters.read(sender);
            }
            sender.offer(new Event.Meta("agent_cpu", AgentCpu.describe(setupCost, cost, wallNs)));
            if (setupCost != null && cost != null) {
                sender.offer(new Event.Meta("agent_setup_cpu_ns", Long.toString(setupCost.totalNs)));
                sender.offer(new Event.Meta("agent_cpu_ns", Long.toString(cost.totalNs)));
                sender.offer(new Event.Meta("agent_wall_ns", Long.toString(wallNs)));
            }
            sender.offer(new Event.Meta("stopped", stopReason));
        } catch (InterruptedException e) {
            // stopping
        } catch (Throwable t) {
            System.err.println("throughline agent: warning: " + (sender == null ? "not recording: " : "recording stopped: ")
                    + (t.getMessage() == null ? t.toString() : t.getMessage())
                    + (sender == null ? " (the program runs unprofiled)" : ""));
        } finally {
            if (api != null) {
                api.uninstall();
            }
            if (sampler != null) {
                sampler.stopQuietly();
            }
            if (jfr != null) {
                jfr.close();
            }
            if (gcNotifications != null) {
                gcNotifications.close();
            }
            if (gpu != null) {
                gpu.close();
            }
            // free for the next recording before the collector hears BYE: whoever sees this one end may start another
            CURRENT.compareAndSet(this, null);
            System.clearProperty(PROPERTY);
            if (sender != null) {
                sender.finish(2000);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
    }

    /** Whether something scheduled for {@code at} falls due at this tick (within half a tick). */
    private static boolean due(long now, long at) {
        return now >= at - TICK_NS / 2;
    }

    /** The next time after {@code at}, one period on (so that a 1 s cycle stays 1 s), never in the past. */
    private static long next(long at, long period, long now) {
        long n = at + period;
        return n < now ? now + period : n;
    }

    private interface Source {
        void run() throws Exception;
    }

    /**
     * Runs one source's periodic work; a source that fails is reported once ({@code META <what>_error}) and left
     * out from then on, the others go on recording.
     */
    private static boolean guarded(Sender sender, String what, Source source) {
        try {
            source.run();
            return true;
        } catch (Exception | LinkageError e) {
            sender.offer(new Event.Meta(what + "_error", String.valueOf(e)));
            return false;
        }
    }

    private CpuSampler startSampler(Sender sender) {
        if (args.event.equals("off")) {
            sender.offer(new Event.Meta("profiler_engine", "off"));
            return null;
        }
        try {
            AsyncProfilerHandle p = AsyncProfilerHandle.open(inst);
            CpuSampler s = CpuSampler.start(p, args.event, args.intervalNs);
            sender.offer(new Event.Meta("profiler", p.origin));
            sender.offer(new Event.Meta("profiler_engine", s.engine));
            sender.offer(new Event.Meta("profiler_interval_ns", Long.toString(args.intervalNs)));
            if (s.fallback != null) {
                sender.offer(new Event.Meta("profiler_fallback", s.fallback));
            }
            return s;
        } catch (Throwable t) {
            sender.offer(new Event.Meta("profiler_engine", "unavailable: " + t.getMessage()));
            return null;
        }
    }

    private Handshake handshake() {
        ProcessHandle self = ProcessHandle.current();
        long ppid = self.parent().map(ProcessHandle::pid).orElse(0L);
        String command = System.getProperty("sun.java.command", "");
        return new Handshake(args.token, self.pid(), ppid <= 0xFFFF_FFFFL ? ppid : 0, "jvm", processName(command), command);
    }

    /** The main class (or jar file name) from {@code sun.java.command}. */
    static String processName(String command) {
        String first = command == null ? "" : command.trim().split("\\s+", 2)[0];
        if (first.isEmpty()) {
            return "java";
        }
        int slash = first.lastIndexOf('/');
        return slash >= 0 ? first.substring(slash + 1) : first;
    }

    private static String version() {
        String v = Recording.class.getPackage() == null ? null : Recording.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static void join(Thread t, long millis) {
        if (t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
