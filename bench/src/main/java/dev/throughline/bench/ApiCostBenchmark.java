package dev.throughline.bench;

import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the Throughline API costs a program when no agent is attached (no sink installed): the calls one
 * request makes in samples/jvm-serving, against an empty method measured in the same run. Each call is
 * one volatile read returning a shared no-op scope, so the difference should be a few nanoseconds.
 * <ul>
 *   <li>{@code baseline}: an empty method, the harness's own cost;</li>
 *   <li>{@code requestPhaseClose}: {@code request} + {@code phase} + both closes;</li>
 *   <li>{@code servedRequest}: what one request of the sample does: request, queue, batch_wait, a compute
 *       phase over a batch of 8 ids, respond, and the closes.</li>
 * </ul>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class ApiCostBenchmark {
    private long id;
    private final long[] batch = {1, 2, 3, 4, 5, 6, 7, 8};

    @Setup
    public void noAgent() {
        Throughline.install(null);
    }

    @Benchmark
    public void baseline() {
        // empty: what JMH's call and loop cost
    }

    @Benchmark
    public void requestPhaseClose() {
        long requestId = ++id;
        Scope request = Throughline.request(requestId, "POST /infer");
        Scope phase = Throughline.phase("compute", requestId);
        phase.close();
        request.close();
    }

    @Benchmark
    public void servedRequest() {
        long requestId = ++id;
        Scope request = Throughline.request(requestId, "POST /infer");
        Throughline.phase("queue", requestId).close();
        Throughline.phase("batch_wait", requestId).close();
        Throughline.phase("compute", batch).close();
        Throughline.phase("respond", requestId).close();
        request.close();
    }
}
