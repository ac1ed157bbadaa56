package dev.throughline.samples.serving;

import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker thread: takes a request, waits up to max-wait for more (up to max-batch), runs one forward
 * pass for the whole batch, then writes each response. Phases: {@code batch_wait} per request,
 * {@code compute} once for the batch (attributed to every request in it), {@code respond} per request.
 */
final class BatchWorker implements Runnable {
    private final BlockingQueue<PendingRequest> queue;
    private final Mlp model;
    private final int maxBatch;
    private final long maxWaitNs;

    BatchWorker(BlockingQueue<PendingRequest> queue, Mlp model, int maxBatch, long maxWaitNs) {
        this.queue = queue;
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNs = maxWaitNs;
    }

    @Override
    public void run() {
        List<PendingRequest> batch = new ArrayList<>(maxBatch);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                collect(batch);
                serve(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect(List<PendingRequest> batch) throws InterruptedException {
        PendingRequest first = queue.take();
        long deadline = System.nanoTime() + maxWaitNs; // the wait starts when the batch's first request is taken
        first.dequeued();
        batch.add(first);
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            PendingRequest next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            next.dequeued();
            batch.add(next);
        }
        for (PendingRequest p : batch) {
            p.batchSealed();
        }
    }

    private void serve(List<PendingRequest> batch) {
        long[] ids = new long[batch.size()];
        float[][] inputs = new float[batch.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).id;
            inputs[i] = batch.get(i).input;
        }
        float[][] outputs;
        try (Scope compute = Throughline.phase("compute", ids)) {
            outputs = model.forward(inputs);
        }
        for (int i = 0; i < ids.length; i++) {
            PendingRequest p = batch.get(i);
            try (Scope respond = Throughline.phase("respond", p.id)) {
                InferHandler.reply(p.exchange, 200, Vectors.format(outputs[i]) + "\n");
            } catch (IOException e) {
                // the client went away: nothing to answer
            } finally {
                p.finished();
            }
        }
    }
}
