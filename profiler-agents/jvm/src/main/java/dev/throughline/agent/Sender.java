package dev.throughline.agent;

import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.Handshake;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection to the collector and its one daemon thread. Sources {@link #offer} events into a bounded queue; when
 * it is full (collector slow or gone) the event is dropped and counted, and the count goes out as a LOSS frame
 * ({@code buffer full}, cumulative). Host threads never wait here and never see an exception.
 */
final class Sender {
    static final String LOSS_KIND = "buffer full";
    /** The queue holds 65,536 events: up to ~1.3M events/s pass without a drop. */
    static final int CAPACITY = 65_536;
    /**
     * How often the sender wakes, drains and flushes. Each write to the loopback socket costs the sender the
     * collector's side of TCP too (its wake-up); at 20 ms and a 64 KiB buffer the socket writes were a third of the
     * sender's CPU (profiled at 1 ms on the saturated serving sample), so: 50 ms and {@link #SOCKET_BUFFER}.
     */
    static final long BATCH_MS = 50;
    /**
     * With nothing to send the sender backs off (doubling its sleep up to this), as each wake-up of an idle thread
     * costs ~100-250 µs of CPU here; the first batch with something in it brings it back to {@link #BATCH_MS}. At
     * 200 ms an API ring of 16,384 slots still holds a burst of 80,000 intervals a second.
     */
    static final long IDLE_MAX_MS = 200;
    /** Bytes gathered before a socket write: ~8 writes a second at the serving sample's 2 MB/s of slices. */
    static final int SOCKET_BUFFER = 1 << 18;

    private final Socket socket;
    private final Encoder encoder;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    /** What other sources lost (e.g. CUPTI's dropped records), by reason, sent as cumulative LOSS frames. */
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> otherLoss = new java.util.concurrent.ConcurrentHashMap<>();
    /** Sources the sender thread reads itself each batch (the API's interval buffers), after the queue. */
    private final java.util.List<Pull> pulls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean finishing;
    private volatile boolean broken;
    private volatile String brokenWhy;

    private Sender(Socket socket, Encoder encoder) {
        this.socket = socket;
        this.encoder = encoder;
        this.thread = new Thread(this::run, "throughline-agent-sender");
        thread.setDaemon(true);
    }

    /** Connects and presents the handshake; {@link IOException} with a readable reason when refused. */
    static Sender connect(AgentArgs args, Handshake handshake) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(args.host, args.port), 3000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(5000);
            OutputStream raw = new BufferedOutputStream(s.getOutputStream(), SOCKET_BUFFER);
            raw.write(handshake.encode());
            raw.flush();
            int reply = s.getInputStream().read();
            if (reply != Handshake.REPLY_ACCEPTED) {
                throw new IOException(reply == Handshake.REPLY_BAD_TOKEN ? "the collector refused the token"
                        : reply == Handshake.REPLY_UNSUPPORTED_VERSION ? "the collector does not speak protocol version "
                        + Handshake.VERSION : "the collector closed the connection during the handshake");
            }
            s.setSoTimeout(1); // from now on reads only probe whether the collector has gone (see collectorGone)
            Sender sender = new Sender(s, new Encoder(new FrameWriter(raw)));
            sender.thread.start();
            return sender;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new IOException("no collector at " + args.address() + ": " + e.getMessage(), e);
        }
    }

    /** A source whose events the sender thread reads and encodes itself, so that its writers never touch the queue. */
    interface Pull {
        void pull(Encoder e) throws IOException;
    }

    void addPull(Pull p) {
        pulls.add(p);
    }

    /** From any thread, never blocks: false (and counted) when the queue is full or the connection is gone. */
    boolean offer(Event e) {
        if (finishing || broken) {
            return false;
        }
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** The agent's own threads may wait a little for room (a second's samples arrive at once); still bounded. */
    boolean offerWaiting(Event e, long millis) {
        if (finishing || broken) {
            return false;
        }
        try {
            if (queue.offer(e, millis, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Counts {@code count} more events lost for {@code kind} by a source before they reached the queue. */
    void lost(String kind, long count) {
        if (count > 0) {
            otherLoss.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(count);
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Whether the connection failed or the collector closed it (probed without blocking for more than ~1 ms). */
    boolean collectorGone() {
        if (broken) {
            return true;
        }
        try {
            InputStream in = socket.getInputStream();
            if (in.read() < 0) {
                markBroken("the collector closed the connection");
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException e) {
            markBroken("connection error: " + e.getMessage());
        }
        return broken;
    }

    /** Whether the sender thread still runs (it must not once {@link #finish} has returned). */
    boolean running() {
        return thread.isAlive();
    }

    String brokenWhy() {
        return brokenWhy;
    }

    private void markBroken(String why) {
        if (!broken) {
            brokenWhy = why;
            broken = true;
        }
    }

    /**
     * Sends what is queued, the final LOSS count and BYE, then closes. Waits at most {@code millis}; a sender still
     * blocked on a collector that stopped reading is cut (socket closed) so that no agent thread outlives the recording.
     */
    void finish(long millis) {
        finishing = true;
        join(millis);
        if (thread.isAlive()) {
            closeSocket();
            join(2000);
        }
        closeSocket();
    }

    private void join(long millis) {
        try {
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing on the way out
        }
    }

    /**
     * Every {@link #BATCH_MS}: drain the queue, encode, flush once. Sleeping between batches (rather than waiting on
     * the queue) means a host thread's offer never wakes this thread, and the socket sees ~20 flushes a second
     * however many events there are; a write per event cost ~15 µs of CPU each (measured, 8.7k events/s).
     */
    private void run() {
        long lossSent = 0;
        java.util.Map<String, Long> otherSent = new java.util.HashMap<>();
        java.util.List<Event> batch = new java.util.ArrayList<>(1024);
        long sleepMs = BATCH_MS;
        try {
            while (true) {
                long framesBefore = encoder.framesWritten();
                boolean last = finishing; // read before draining: nothing is offered once it is set
                while (queue.drainTo(batch, 1024) > 0) {
                    for (Event e : batch) {
                        e.writeTo(encoder);
                    }
                    batch.clear();
                }
                for (Pull p : pulls) {
                    p.pull(encoder);
                }
                long d = dropped.get();
                if (d != lossSent) {
                    encoder.loss(LOSS_KIND, d);
                    lossSent = d;
                }
                for (java.util.Map.Entry<String, AtomicLong> e : otherLoss.entrySet()) {
                    long n = e.getValue().get();
                    if (!Long.valueOf(n).equals(otherSent.get(e.getKey()))) {
                        encoder.loss(e.getKey(), n);
                        otherSent.put(e.getKey(), n);
                    }
                }
                if (last) {
                    encoder.bye();
                    encoder.flush();
                    return;
                }
                encoder.flush();
                sleepMs = encoder.framesWritten() == framesBefore ? Math.min(IDLE_MAX_MS, sleepMs * 2) : BATCH_MS;
                Thread.sleep(sleepMs);
            }
        } catch (IOException e) {
            markBroken("connection error: " + e.getMessage());
        } catch (InterruptedException e) {
            markBroken("interrupted");
        } catch (RuntimeException e) {
            markBroken("internal error: " + e);
        } finally {
            queue.clear();
            closeSocket();
        }
    }
}
