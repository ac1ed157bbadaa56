package dev.throughline.bench;

import dev.throughline.api.IntervalBuffer;
import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the Throughline API costs a program: the calls one request makes in samples/jvm-serving, against an empty
 * method measured in the same run. Without an agent each call is one volatile read returning a shared no-op scope,
 * so the difference should be a few nanoseconds. With an agent ({@link Recorded}), each scope is one small object,
 * two clock reads and one slot of the agent's {@link IntervalBuffer}, which a background thread drains every
 * millisecond as the agent's sender does every 20 ms (what the host's threads pay; the sender's encoding is not in
 * these figures: it runs on the agent's thread, measured per thread in run-jvm-threads.sh).
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
    // each benchmark runs in its own forked JVM: only the *Recorded ones ever install a buffer
    private long id;
    private final long[] batch = {1, 2, 3, 4, 5, 6, 7, 8};

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

    /** The same calls with an agent's buffer installed and drained. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Recorded {
        final IntervalBuffer buffer = new IntervalBuffer(1 << 16);
        private volatile boolean running = true;
        private Thread drainer;

        @Setup(Level.Trial)
        public void install() {
            Throughline.install(buffer);
            drainer = new Thread(() -> {
                long[] longs = new long[4096 * IntervalBuffer.LONGS];
                Object[] refs = new Object[4096 * IntervalBuffer.REFS];
                while (running) {
                    while (buffer.drain(longs, refs) > 0) {
                        // read and thrown away: the sender's encoding is not what this measures
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }, "drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        @TearDown(Level.Trial)
        public void uninstall() throws InterruptedException {
            Throughline.install(null);
            running = false;
            drainer.join();
            if (buffer.dropped() > 0) { // the figure would then include the cheaper drop path: say so
                System.err.println("ApiCostBenchmark: " + buffer.dropped() + " intervals dropped (buffer full)");
            }
        }
    }

    @Benchmark
    public void servedRequestRecorded(Recorded recorded) {
        servedRequest();
    }

    @Benchmark
    public void requestPhaseCloseRecorded(Recorded recorded) {
        requestPhaseClose();
    }
}
