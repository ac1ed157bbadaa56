package dev.throughline.samples.serving;

import com.sun.net.httpserver.HttpExchange;
import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;

/**
 * One accepted request on its way through the service. Its scopes are opened on one thread and
 * closed on another (handler → worker), which the API allows.
 */
final class PendingRequest {
    final long id;
    final HttpExchange exchange;
    final float[] input;
    private final Scope request;
    private Scope queue;
    private Scope batchWait;

    PendingRequest(long id, HttpExchange exchange, float[] input, Scope request) {
        this.id = id;
        this.exchange = exchange;
        this.input = input;
        this.request = request;
    }

    void queued() {
        queue = Throughline.phase("queue", id);
    }

    /** A worker took it off the queue: it now waits for its batch to fill (or the wait to run out). */
    void dequeued() {
        queue.close();
        batchWait = Throughline.phase("batch_wait", id);
    }

    void batchSealed() {
        batchWait.close();
    }

    /** The response was written (or failed): the request is over. */
    void finished() {
        request.close();
    }

    /** Rejected before it was queued (queue full). */
    void abandoned() {
        if (queue != null) {
            queue.close();
        }
        request.close();
    }
}
