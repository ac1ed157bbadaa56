package dev.throughline.samples.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;

/**
 * {@code POST /infer}: reads the input vector, and either queues the request for a batch worker, or
 * answers 503 at once when the queue is full (admission control: a full queue means the wait would be
 * longer than the queue's worth of batches, so failing fast is kinder than timing out).
 */
final class InferHandler implements HttpHandler {
    static final String REQUEST_NAME = "POST /infer";

    private final BlockingQueue<PendingRequest> queue;
    private final Garbage garbage;

    InferHandler(BlockingQueue<PendingRequest> queue, Garbage garbage) {
        this.queue = queue;
        this.garbage = garbage;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long id = requestId(exchange);
        Scope request = Throughline.request(id, REQUEST_NAME);
        float[] input;
        try (InputStream in = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "POST only\n");
                request.close();
                return;
            }
            input = Vectors.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII), Mlp.INPUTS);
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, e.getMessage() + "\n");
            request.close();
            return;
        }
        if (garbage != null) {
            garbage.churn(id);
        }
        PendingRequest pending = new PendingRequest(id, exchange, input, request);
        pending.queued();
        if (!queue.offer(pending)) {
            pending.abandoned();
            reply(exchange, 503, "queue full\n");
        }
        // otherwise a worker answers; the exchange stays open after this method returns
    }

    /**
     * The client's {@code X-Request-Id} when it sends a positive number (so a client can match its requests with the
     * capture's), else a new process-unique id.
     */
    static long requestId(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (header != null) {
            try {
                long id = Long.parseLong(header.trim());
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // not ours: fall through to a new id
            }
        }
        return Throughline.newRequestId();
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
