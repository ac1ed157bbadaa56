package dev.throughline.samples.serving;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives {@code POST /infer}. Open loop (default): request n is due at start + n / rate, whatever happened
 * to earlier ones, and its latency runs from that intended time, not from when it was actually sent; so
 * when the service (or this client) stalls, the requests that should have gone out meanwhile are charged
 * the stall (no coordinated omission). A pacer thread hands due requests to {@code --connections}
 * keep-alive connections, each with its own thread. Closed loop ({@code --closed N}): N clients each send
 * the next request when the previous answer arrives, for the maximum throughput. Latency goes into an
 * HdrHistogram written as a percentile distribution (milliseconds), plus a one-line summary on stdout.
 */
public final class LoadGenerator {
    private static final int BODIES = 1024;
    private static final String PATH = "/infer";

    private final LoadOptions options;
    private final byte[][] bodies = new byte[BODIES][];
    private final Histogram latency = new ConcurrentHistogram(3);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong lastCompletionNs = new AtomicLong();
    /** With --log: one line per request, {@code id send_ns done_ns status} (System.nanoTime, the capture's clock). */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> log = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private LoadGenerator(LoadOptions options) {
        this.options = options;
        for (int i = 0; i < BODIES; i++) { // built once: the clients only send
            bodies[i] = Vectors.format(Vectors.input(options.seed(), i)).getBytes(StandardCharsets.US_ASCII);
        }
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadGenerator g = new LoadGenerator(options);
        ProgressLog progress = options.progress() == null ? null
                : new ProgressLog(options.progress(), options.cpuOfPid(), g.ok, g.errors);
        long[] sentAndElapsed = options.closed() > 0 ? g.closedLoop() : g.openLoop();
        if (progress != null) {
            progress.close();
        }
        g.writeHistogram();
        g.writeLog();
        System.out.println(g.summary(sentAndElapsed[0], sentAndElapsed[1]));
        System.exit(g.errors.get() == 0 ? 0 : 1);
    }

    /** A request due at {@code intendedNs}; {@code n} picks its body. */
    private record Due(long n, long intendedNs, boolean measured) {
    }

    private static final Due STOP = new Due(-1, 0, false);

    /** Returns {sent, elapsed ns from the first measured intended send to the last answer}. */
    private long[] openLoop() throws InterruptedException {
        double periodNs = 1e9 / options.rate();
        long warmup = (long) (options.warmupS() * options.rate());
        long total = warmup + (long) (options.durationS() * options.rate());
        BlockingQueue<Due> due = new LinkedBlockingQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < options.connections(); c++) {
            Thread t = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(options.host(), options.port())) {
                    for (Due d = due.take(); d != STOP; d = due.take()) {
                        send(connection, d.n, d.intendedNs, d.measured);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "connection-" + c);
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measuredStart = start + (long) (warmup * periodNs);
        for (long n = 0; n < total; n++) {
            long intended = start + (long) (n * periodNs);
            for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            due.add(new Due(n, intended, n >= warmup));
        }
        for (int c = 0; c < clients.size(); c++) {
            due.add(STOP);
        }
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(120));
        }
        long answered = ok.get() + rejected.get() + errors.get();
        errors.addAndGet(total - warmup - answered); // never answered
        return new long[] {total - warmup, lastCompletionNs.get() - measuredStart};
    }

    private long[] closedLoop() throws InterruptedException {
        long start = System.nanoTime();
        long measuredStart = start + (long) (options.warmupS() * 1e9);
        long end = measuredStart + (long) (options.durationS() * 1e9);
        AtomicLong sent = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < options.closed(); c++) {
            Thread t = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(options.host(), options.port())) {
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        send(connection, sent.getAndIncrement(), now, now >= measuredStart);
                    }
                }
            }, "client-" + c);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        return new long[] {completed.get(), System.nanoTime() - measuredStart};
    }

    private void send(HttpConnection connection, long n, long fromNs, boolean measured) {
        HttpConnection.Response response = null;
        long sentNs = System.nanoTime();
        try {
            // the request id is n + 1: the service uses it, so the log and a capture name the same requests
            response = connection.post(PATH, bodies[(int) (n % BODIES)], n + 1);
        } catch (IOException | RuntimeException e) {
            connection.close();
        }
        long now = System.nanoTime();
        if (options.log() != null) {
            log.add((n + 1) + "\t" + sentNs + "\t" + now + "\t" + (response == null ? -1 : response.status()));
        }
        lastCompletionNs.accumulateAndGet(now, Math::max);
        if (!measured) {
            return;
        }
        completed.incrementAndGet();
        if (response == null) {
            errors.incrementAndGet();
        } else if (response.status() == 503) {
            rejected.incrementAndGet();
        } else if (response.status() != 200 || response.body().trim().split(",").length != Mlp.OUTPUTS) {
            errors.incrementAndGet();
        } else {
            ok.incrementAndGet();
            latency.recordValue(now - fromNs);
        }
    }

    private void writeLog() throws IOException {
        if (options.log() != null) {
            Path parent = options.log().toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.write(options.log(), log, StandardCharsets.US_ASCII);
        }
    }

    private void writeHistogram() throws IOException {
        Files.createDirectories(options.histogram().toAbsolutePath().getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(options.histogram()), false, "US-ASCII")) {
            latency.outputPercentileDistribution(out, 1e6); // values in milliseconds
        }
    }

    String summary(long sent, long elapsedNs) {
        double seconds = elapsedNs / 1e9;
        String mode = options.closed() > 0 ? "closed loop, " + options.closed() + " clients"
                : String.format(Locale.ROOT, "open loop, target %.0f/s", options.rate());
        return String.format(Locale.ROOT, "%s: sent %d, ok %d, rejected %d, errors %d in %.2f s = %.1f ok/s;"
                        + " latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f; histogram %s", mode, sent,
                ok.get(), rejected.get(), errors.get(), seconds, seconds > 0 ? ok.get() / seconds : 0, ms(50), ms(90),
                ms(99), ms(99.9), latency.getMaxValue() / 1e6, options.histogram());
    }

    private double ms(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }
}
