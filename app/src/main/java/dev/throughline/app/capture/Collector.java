package dev.throughline.app.capture;

import dev.throughline.protocol.ByeFrame;
import dev.throughline.protocol.Frame;
import dev.throughline.protocol.FrameReader;
import dev.throughline.protocol.Handshake;
import dev.throughline.protocol.ProtocolException;
import dev.throughline.protocol.TruncatedFrameException;
import dev.throughline.protocol.UnsupportedVersionException;
import dev.throughline.storage.CaptureWriter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives agents' event streams (profiler-agents/protocol) into one capture. Listens on 127.0.0.1 only, on a random
 * port, and accepts only connections whose handshake presents this recording's random token (128 bits, hex); a wrong
 * token is answered {@code 1} and closed before any frame is read. Each connection is read on its own thread; frames
 * go through one bounded queue to one writer thread, which owns the {@link CaptureWriter}. When the queue is full,
 * data frames (slices, counters, samples) are dropped and counted ({@code collector}, {@code queue full}); the frames
 * that later ones depend on (strings, threads, loss reports) wait for room instead.
 * <p>
 * {@link #close()} stops accepting, lets open connections finish (up to {@link CollectorOptions#drainTimeout()}), then
 * cuts the rest, writes what is queued and closes the capture (summaries, indexes, integrity check).
 */
public final class Collector implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final CaptureWriter writer;
    private final CollectorOptions options;
    private final String token;
    private final byte[] tokenBytes;
    private final ServerSocket server;
    private final BlockingQueue<Envelope> queue;
    private final Thread acceptor;
    private final Thread writerThread;
    private final Set<AgentReader> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumber = new AtomicInteger();
    private final Set<String> processes = ConcurrentHashMap.newKeySet(); // kind:pid, a reconnect is no new one
    private final AtomicLong refusedCount = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong lastStepNs = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();
    private final LossTally refusals = new LossTally();
    private final LossTally collectorLoss = new LossTally();
    private volatile boolean stopping;
    private volatile boolean stalled; // fault injection: readers stop reading (see stallReading)
    private final Object stallLock = new Object();
    private volatile Throwable writeFailure;
    private boolean closed;

    /** What the readers hand the writer thread. */
    private record Envelope(AgentReader from, Handshake opened, Frame frame, boolean closing) {
        static final Envelope STOP = new Envelope(null, null, null, false);
    }

    private Collector(CaptureWriter writer, CollectorOptions options) throws IOException {
        this.writer = writer;
        this.options = options;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        this.tokenBytes = token.getBytes(StandardCharsets.UTF_8);
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(LOOPBACK, 0), 64);
        String host = hostName();
        CaptureIngest ingest = new CaptureIngest(writer, host, steps, lastStepNs, events, drops);
        this.writerThread = new Thread(() -> writeLoop(ingest), "throughline-collector-writer");
        this.acceptor = new Thread(this::acceptLoop, "throughline-collector-accept");
        acceptor.setDaemon(true);
        writerThread.setDaemon(true); // never keeps a JVM alive; close() waits for it
        writerThread.start();
        acceptor.start();
    }

    /**
     * Starts collecting into {@code writer}, which the collector owns from now on: it is closed (or, on failure,
     * aborted) by {@link #close()}.
     */
    public static Collector start(CaptureWriter writer) throws IOException {
        return start(writer, CollectorOptions.DEFAULTS);
    }

    public static Collector start(CaptureWriter writer, CollectorOptions options) throws IOException {
        try {
            return new Collector(writer, options);
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}, the value of {@code THROUGHLINE_ADDR}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The per-recording token agents must present (32 hex digits), the value of {@code THROUGHLINE_TOKEN}. */
    public String token() {
        return token;
    }

    public java.nio.file.Path capturePath() {
        return writer.target();
    }

    /** Agent connections open now (accepted and not yet ended): {@code attach} waits for its agent's to end. */
    public int openConnections() {
        return open.size();
    }

    public CollectorStats stats() {
        return new CollectorStats(processes.size(), refusedCount.get(), steps.get(), events.get(),
                drops.get() + collectorLoss.total(), lastStepNs.get());
    }

    // ---- accepting and reading ---------------------------------------------------------------

    private void acceptLoop() {
        while (!stopping) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!stopping) {
                    collectorLoss.add("collector", "accept failed", 1, e.toString());
                }
                return;
            }
            if (open.size() >= options.maxConnections()) {
                refuse("too many connections", "more than " + options.maxConnections() + " agents connected at once");
                closeQuietly(s);
                continue;
            }
            AgentReader r = new AgentReader(s, connectionNumber.incrementAndGet());
            open.add(r);
            if (stopping) { // raced with close(): it may have taken its snapshot of open already
                open.remove(r);
                closeQuietly(s);
                return;
            }
            r.thread.start();
        }
    }

    private void refuse(String why, String example) {
        refusedCount.incrementAndGet();
        refusals.add("collector", "connection refused: " + why, 1, example);
    }

    /** One agent connection, read on its own thread. */
    private final class AgentReader implements Runnable {
        final Socket socket;
        final Thread thread;

        AgentReader(Socket socket, int number) {
            this.socket = socket;
            this.thread = new Thread(this, "throughline-collector-conn-" + number);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Handshake h = handshake();
                if (h != null) {
                    frames(h);
                }
            } finally {
                closeQuietly(socket);
                open.remove(this);
            }
        }

        /** The checked handshake, or null when the connection was refused (and counted). */
        private Handshake handshake() {
            try {
                socket.setSoTimeout((int) Math.max(1, options.handshakeTimeout().toMillis()));
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                Handshake h;
                try {
                    h = Handshake.read(in);
                } catch (UnsupportedVersionException e) {
                    out.write(Handshake.REPLY_UNSUPPORTED_VERSION);
                    out.flush();
                    refuse("unsupported protocol version", e.getMessage());
                    return null;
                }
                if (!MessageDigest.isEqual(tokenBytes, h.token().getBytes(StandardCharsets.UTF_8))) {
                    out.write(Handshake.REPLY_BAD_TOKEN);
                    out.flush();
                    refuse("bad token", h.kind() + " pid " + h.pid() + " (" + h.name() + ")");
                    return null;
                }
                out.write(Handshake.REPLY_ACCEPTED);
                out.flush();
                socket.setSoTimeout(0);
                return h;
            } catch (SocketTimeoutException e) {
                refuse("no handshake", "nothing valid within " + options.handshakeTimeout().toMillis() + " ms");
            } catch (ProtocolException e) {
                refuse("bad handshake", e.getMessage());
            } catch (IOException e) {
                if (!stopping) {
                    refuse("bad handshake", e.toString());
                }
            }
            return null;
        }

        private void frames(Handshake h) {
            processes.add(CaptureIngest.processKey(h));
            put(new Envelope(this, h, null, false));
            try {
                FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream(), 1 << 16),
                        options.maxFrameLength(), h.encode().length);
                for (Frame f; ; ) {
                    if (stalled) {
                        awaitNotStalled();
                    }
                    if ((f = reader.next()) == null) {
                        break;
                    }
                    switch (f.type()) {
                        case Frame.SLICE, Frame.COUNTER, Frame.SAMPLE -> {
                            if (!queue.offer(new Envelope(this, null, f, false))) {
                                collectorLoss.add("collector", "queue full", 1, null);
                            }
                        }
                        default -> put(new Envelope(this, null, f, false));
                    }
                    if (f == ByeFrame.INSTANCE) {
                        break;
                    }
                }
            } catch (TruncatedFrameException e) {
                collectorLoss.add("collector", "connection cut mid-frame", 1, who(h) + ": " + e.getMessage());
            } catch (ProtocolException e) {
                collectorLoss.add("collector", "protocol error (connection closed)", 1, who(h) + ": " + e.getMessage());
            } catch (SocketException e) {
                if (stopping) {
                    collectorLoss.add("collector", "connection still open at stop (cut)", 1, who(h));
                } else {
                    collectorLoss.add("collector", "connection error", 1, who(h) + ": " + e.getMessage());
                }
            } catch (IOException e) {
                collectorLoss.add("collector", "connection error", 1, who(h) + ": " + e);
            } finally {
                put(new Envelope(this, null, null, true));
            }
        }
    }

    // ---- fault injection (tests: a collector that stalls, then cuts, while the agent runs on) ----

    /**
     * While {@code true}, every connection stops reading between frames: the kernel's buffers fill and the agents'
     * sends block, as with a collector that cannot keep up. Tests use it to check the agents' promise (drop and
     * count, never block the program).
     */
    void stallReading(boolean stall) {
        synchronized (stallLock) {
            stalled = stall;
            stallLock.notifyAll();
        }
    }

    /** Closes every open agent connection (the server keeps listening: agents may reconnect). */
    void cutConnections() {
        for (AgentReader r : List.copyOf(open)) {
            closeQuietly(r.socket);
        }
    }

    private void awaitNotStalled() {
        synchronized (stallLock) {
            while (stalled && !stopping) {
                try {
                    stallLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String who(Handshake h) {
        return h.kind() + " pid " + h.pid() + " (" + h.name() + ")";
    }

    private void put(Envelope e) {
        try {
            queue.put(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            collectorLoss.add("collector", "interrupted", 1, null);
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    private void writeLoop(CaptureIngest ingest) {
        java.util.Map<AgentReader, CaptureIngest.Connection> connections = new java.util.HashMap<>();
        while (true) {
            Envelope e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                continue; // only close() stops this thread, through STOP
            }
            if (e == Envelope.STOP) {
                break;
            }
            if (writeFailure != null) {
                continue; // keep draining so that readers never block; the capture is aborted at close
            }
            try {
                if (e.opened() != null) {
                    connections.put(e.from(), ingest.open(e.opened()));
                } else if (e.closing()) {
                    connections.remove(e.from());
                } else {
                    ingest.accept(connections.get(e.from()), e.frame());
                }
            } catch (Throwable t) {
                writeFailure = t;
            }
        }
        if (writeFailure == null) {
            try {
                ingest.finish();
                refusals.writeTo(writer);
                collectorLoss.writeTo(writer);
            } catch (Throwable t) {
                writeFailure = t;
            }
        }
    }

    // ---- stopping ------------------------------------------------------------------------------

    /**
     * Stops: no new connections; open ones get {@link CollectorOptions#drainTimeout()} to finish, then are cut;
     * everything queued is written and the capture closed. Idempotent.
     * @throws IOException when the capture could not be written (it is then removed, never left half-written)
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (writeFailure != null) {
            writer.abort();
            throw new IOException("cannot write capture " + writer.target() + ": " + writeFailure, writeFailure);
        }
        writer.close();
    }

    /** Stops like {@link #close()} but discards the capture. */
    public synchronized void abort() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        writer.abort();
    }

    private void stop() {
        stopping = true;
        closeQuietly(server);
        join(acceptor, 1000);
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        for (AgentReader r : List.copyOf(open)) {
            join(r.thread, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (AgentReader r : List.copyOf(open)) {
            closeQuietly(r.socket); // still sending after the drain time: cut
        }
        for (AgentReader r : List.copyOf(open)) {
            join(r.thread, 5000);
        }
        put(Envelope.STOP);
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the capture must still be finished
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
