package dev.throughline.samples.serving;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample inference service: {@code POST /infer} with 64 comma-separated floats returns the model's 16
 * outputs. HTTP on the JDK's server (a few I/O threads parse and queue), a bounded queue (full → 503),
 * {@code --workers} batch workers. Prints {@code listening on 127.0.0.1:PORT} first, then runs until killed.
 */
public final class InferenceService {
    private final HttpServer server;
    private final ExecutorService io;
    private final ExecutorService workers;

    private InferenceService(HttpServer server, ExecutorService io, ExecutorService workers) {
        this.server = server;
        this.io = io;
        this.workers = workers;
    }

    public static void main(String[] args) throws IOException {
        ServiceOptions options;
        try {
            options = ServiceOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(ServiceOptions.USAGE);
            System.exit(2);
            return;
        }
        InferenceService service = start(options);
        System.out.println("listening on 127.0.0.1:" + service.port());
        System.out.printf("workers %d, max batch %d, max wait %s ms, queue %d, hidden %d%s%n", options.workers(),
                options.maxBatch(), options.maxWaitMs(), options.queueCapacity(), options.hidden(),
                options.allocHeavy() ? ", alloc-heavy" : "");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "shutdown"));
    }

    static InferenceService start(ServiceOptions o) throws IOException {
        // without TCP_NODELAY the status line and the body go out in two segments, and Nagle + the client's
        // delayed ACK add ~40 ms to every response
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Mlp model = Mlp.create(o.seed(), o.hidden());
        BlockingQueue<PendingRequest> queue = new ArrayBlockingQueue<>(o.queueCapacity());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), o.port()), 1024);
        ExecutorService io = Executors.newFixedThreadPool(o.ioThreads(), named("http-io"));
        server.setExecutor(io);
        server.createContext("/infer", new InferHandler(queue, o.allocHeavy() ? new Garbage() : null));
        ExecutorService workers = Executors.newFixedThreadPool(o.workers(), named("batch-worker"));
        for (int i = 0; i < o.workers(); i++) {
            workers.execute(new BatchWorker(queue, model, o.maxBatch(), (long) (o.maxWaitMs() * 1_000_000)));
        }
        server.start();
        return new InferenceService(server, io, workers);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        workers.shutdownNow();
        io.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
    }
}
