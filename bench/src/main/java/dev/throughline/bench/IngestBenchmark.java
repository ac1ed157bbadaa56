package dev.throughline.bench;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Ingest rate of slices into a capture: one invocation = {@code CaptureWriter.create} → {@code slices} slices →
 * {@code close()}, so summaries, indexes, the integrity check and the WAL fold are all inside the timing. The
 * score is milliseconds per capture; slices/s = slices / score (run-ingest.sh prints it).
 *
 * <p>The workload looks like an imported Kineto trace: per step, one {@code step} slice, then groups of a
 * {@code cpu_op} with a nested {@code cpu_op}, the {@code cudaLaunchKernel} inside it and the {@code kernel} on a
 * GPU stream track with the same correlation id (50 % cpu_op, 25 % cuda_api, 25 % kernel), names drawn from
 * ~500 realistic op/kernel names and interned on every call through {@link CaptureWriter#string}. Variants:
 * <ul>
 *   <li>{@code captureWriter}: every slice has a small arg set (2–3 args) drawn from a pool of 1,500 distinct
 *       sets, as when an importer keeps shapes and launch configs but not per-event ids;</li>
 *   <li>{@code captureWriterNoArgs}: no args;</li>
 *   <li>{@code captureWriterUniqueArgs}: every slice's set also holds a per-event id ("External id"), so no set
 *       repeats and every slice writes 3–4 arg rows;</li>
 *   <li>{@code baselineRawSqlite4Ints}: the floor, measured in the same run: a fresh SQLite file (WAL,
 *       synchronous=OFF), batched prepared inserts of {@code slices} 4-integer rows in one transaction, commit,
 *       close; no index, no summaries.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 7)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class IngestBenchmark {
    private static final int BATCH = 8192;
    private static final int GROUPS_PER_STEP = 2_000;

    @Param("1000000")
    public int slices;

    private Path dir;
    private Path file;

    // the workload, built once per trial
    private byte[] kind;          // 0 step, 1 cpu_op parent, 2 cpu_op child, 3 cuda_api, 4 kernel
    private long[] start;
    private long[] dur;
    private String[] name;
    private int[] argIndex;
    private long[] correlation;
    private ArgSet[] argPool;
    private String[] opNames;
    private String[] kernelNames;

    @Setup(Level.Trial)
    public void build() throws IOException {
        Path base = Path.of(System.getProperty("throughline.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "ingest-bench-");
        List<String> ops = TraceVocabulary.opNames();
        List<String> kernels = TraceVocabulary.kernelNames();
        opNames = ops.toArray(new String[0]);
        kernelNames = kernels.toArray(new String[0]);
        SplittableRandom rng = new SplittableRandom(7);
        argPool = new ArgSet[1_500];
        for (int i = 0; i < argPool.length; i++) {
            ArgSet a = new ArgSet();
            if (i < 1_000) {
                a.put("Input Dims", "[[" + (16 << rng.nextInt(6)) + ", " + (64 << rng.nextInt(6)) + "], [" + (64 << rng.nextInt(6)) + "]]");
                a.put("Input type", rng.nextBoolean() ? "[\"c10::BFloat16\", \"c10::BFloat16\"]" : "[\"float\", \"Scalar\"]");
            } else {
                a.put("grid", "[" + (1 + rng.nextInt(4096)) + ", 1, 1]");
                a.put("block", "[" + (64 << rng.nextInt(5)) + ", 1, 1]");
                a.put("registers per thread", (long) (16 + 8 * rng.nextInt(28)));
            }
            argPool[i] = a;
        }
        kind = new byte[slices];
        start = new long[slices];
        dur = new long[slices];
        name = new String[slices];
        argIndex = new int[slices];
        correlation = new long[slices];
        long cpuClock = 1_623_212_388_426_602_123L;
        long gpuClock = cpuClock;
        long corr = 0;
        int i = 0;
        int step = 0;
        while (i < slices) {
            // a step slice spanning the groups that follow (its duration is fixed up at the end of the step)
            int stepAt = i;
            kind[i] = 0;
            start[i] = cpuClock;
            name[i] = "ProfilerStep#" + (++step);
            argIndex[i] = -1;
            correlation[i] = -1;
            i++;
            for (int g = 0; g < GROUPS_PER_STEP && i < slices; g++) {
                int op = rng.nextInt(opNames.length);
                int child = rng.nextInt(opNames.length);
                int kernel = rng.nextInt(kernelNames.length);
                long t = cpuClock + 1_000 + rng.nextInt(3_000);
                long launch = t + 2_000 + rng.nextInt(2_000);
                long launchDur = 3_000 + rng.nextInt(4_000);
                long childEnd = launch + launchDur + 500 + rng.nextInt(1_000);
                long opEnd = childEnd + 500 + rng.nextInt(2_000);
                corr++;
                i = put(i, (byte) 1, t, opEnd - t, opNames[op], rng.nextInt(1_000), -1);
                i = put(i, (byte) 2, t + 800, childEnd - t - 800, opNames[child], rng.nextInt(1_000), -1);
                i = put(i, (byte) 3, launch, launchDur, "cudaLaunchKernel", -1, corr);
                long ks = Math.max(gpuClock, launch + 3_000);
                long kd = 2_000 + rng.nextInt(60_000);
                i = put(i, (byte) 4, ks, kd, kernelNames[kernel], 1_000 + rng.nextInt(500), corr);
                gpuClock = ks + kd + 1_000;
                cpuClock = opEnd + 500;
            }
            dur[stepAt] = Math.max(cpuClock, gpuClock) - start[stepAt];
            cpuClock = Math.max(cpuClock, gpuClock) + 20_000;
        }
    }

    private int put(int i, byte k, long s, long d, String n, int args, long corr) {
        if (i >= slices) {
            return i;
        }
        kind[i] = k;
        start[i] = s;
        dur[i] = d;
        name[i] = n;
        argIndex[i] = args;
        correlation[i] = corr;
        return i + 1;
    }

    @Setup(Level.Invocation)
    public void freshFile() throws IOException {
        file = dir.resolve("ingest.tlcap");
        Files.deleteIfExists(file);
    }

    @TearDown(Level.Invocation)
    public void removeFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @TearDown(Level.Trial)
    public void removeDir() throws IOException {
        removeFile();
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long captureWriter() throws IOException {
        return ingest(true, false);
    }

    @Benchmark
    public long captureWriterNoArgs() throws IOException {
        return ingest(false, false);
    }

    @Benchmark
    public long captureWriterUniqueArgs() throws IOException {
        return ingest(true, true);
    }

    private long ingest(boolean withArgs, boolean uniqueArgs) throws IOException {
        CaptureWriter w = CaptureWriter.create(file, true);
        int process = w.process(25286, "python3");
        int mainThread = w.thread(process, 25286, "thread 25286 (python3)");
        int hostTrack = w.track(TrackKind.THREAD, process, mainThread, null, null, null);
        int gpuProcess = w.process(0, "GPU 0");
        int gpuTrack = w.track(TrackKind.GPU_STREAM, gpuProcess, null, 0, 7L, "stream 7");
        ArgSet unique = new ArgSet();
        long stepId = 0;
        long parentId = 0;
        long childId = 0;
        for (int i = 0; i < slices; i++) {
            long args = 0;
            if (withArgs && argIndex[i] >= 0) {
                if (uniqueArgs) {
                    unique.clear();
                    unique.put("External id", (long) i);
                    for (ArgSet.Arg a : argPool[argIndex[i]].args()) {
                        if (a.value() instanceof Long l) {
                            unique.put(a.key(), l);
                        } else {
                            unique.put(a.key(), (String) a.value());
                        }
                    }
                    args = w.args(unique);
                } else {
                    args = w.args(argPool[argIndex[i]]);
                }
            } else if (uniqueArgs && withArgs) {
                unique.clear();
                unique.put("External id", (long) i);
                args = w.args(unique);
            }
            int nameId = w.string(name[i]);
            switch (kind[i]) {
                case 0 -> stepId = w.slice(hostTrack, start[i], dur[i], nameId, Category.STEP, 0, 0, -1, args);
                case 1 -> parentId = w.slice(hostTrack, start[i], dur[i], nameId, Category.CPU_OP, 1, stepId, -1, args);
                case 2 -> childId = w.slice(hostTrack, start[i], dur[i], nameId, Category.CPU_OP, 2, parentId, -1, args);
                case 3 -> w.slice(hostTrack, start[i], dur[i], nameId, Category.CUDA_API, 3, childId, correlation[i], args);
                default -> w.slice(gpuTrack, start[i], dur[i], nameId, Category.KERNEL, 0, 0, correlation[i], args);
            }
        }
        long n = w.sliceCount();
        w.close();
        return n;
    }

    @Benchmark
    public long baselineRawSqlite4Ints() throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=OFF");
                st.execute("CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER, d INTEGER)");
            }
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)")) {
                int pending = 0;
                for (int i = 0; i < slices; i++) {
                    ps.setInt(1, kind[i]);
                    ps.setLong(2, start[i]);
                    ps.setLong(3, dur[i]);
                    ps.setInt(4, argIndex[i]);
                    ps.addBatch();
                    if (++pending == BATCH) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                ps.executeBatch();
            }
            db.commit();
        }
        return slices;
    }
}
