package dev.throughline.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a synthetic but realistic PyTorch profiler (Kineto) Chrome trace of a requested size, for the
 * import and report benchmarks.
 *
 * <p>The trace is the object form {@code {"schemaVersion":1,"deviceProperties":[...],"traceEvents":[...]}}
 * laid out the way Kineto writes it (one event over several indented lines). Each training step has a
 * {@code ProfilerStep#N} user annotation on the main thread; a data-loader annotation with a host-to-device
 * copy; a forward pass of nested {@code cpu_op} slices with Kineto's args ("External id", "Input Dims",
 * "Input type", ...); {@code cudaLaunchKernel} ({@code cuda_runtime}, args.correlation) inside the leaf ops,
 * each matched by a {@code kernel} on GPU 0 stream 7 (pid 0, tid 7) with grid/block/stream/device args and an
 * {@code ac2g} flow start/finish pair; a backward pass of autograd nodes on a second thread with NCCL
 * all-reduce kernels on stream 20; an AdamW step of foreach ops; memsets, memcpys, a {@code cudaStreamSynchronize}
 * for {@code loss.item()}, {@code [memory]} instants, and a {@code gpu_user_annotation} per step. Timestamps
 * are microseconds with a nanosecond fraction ({@code "ts": 1623212388426602.123}). Names come from
 * {@link TraceVocabulary} (about 300 op names, 200 kernel names).
 *
 * <p>The writer streams: only one step's events are buffered. The output is a function of the seed and the
 * limits alone. A sidecar {@code OUT.stats} (key=value lines) records the byte, event and slice counts.
 *
 * <pre>
 * java -cp bench/target/throughline-bench.jar dev.throughline.bench.TraceGenerator --size 2g --out /tmp/x.json
 *   [--events N] [--slices N] [--gzip] [--seed N]
 * </pre>
 * Sizes take k/m/g suffixes (powers of 1024) and count uncompressed JSON bytes; generation stops at the
 * first limit reached (the step in progress is closed, so the file ends a little past it).
 */
public final class TraceGenerator {
    static final long BASE_NS = 1_623_212_388_426_602_123L; // "ts": 1623212388426602.123
    static final long PID = 25286;
    static final long MAIN_TID = 25286;
    static final long AUTOGRAD_TID = 25412;
    static final int COMPUTE_STREAM = 7;
    static final int NCCL_STREAM = 20;
    static final int LAYERS = 12;
    static final int SLOTS_PER_LAYER = 12;
    static final int FORWARD_RECIPES = 160;

    /** What stops generation: the first limit reached (0 = no limit on that measure). */
    public record Limits(long bytes, long events, long slices) {
        boolean reached(long b, long e, long s) {
            return (bytes > 0 && b >= bytes) || (events > 0 && e >= events) || (slices > 0 && s >= slices);
        }
    }

    /** What was written. {@code events} counts every element of traceEvents; {@code slices} the complete (X) ones. */
    public record Stats(long bytes, long events, long slices, long kernels, long steps, long flows, long instants,
                        long metadata, long startNs, long endNs) {
        String toProperties() {
            return "bytes=" + bytes + "\nevents=" + events + "\nslices=" + slices + "\nkernels=" + kernels
                    + "\nsteps=" + steps + "\nflows=" + flows + "\ninstants=" + instants + "\nmetadata=" + metadata
                    + "\nspan_ns=" + (endNs - startNs) + "\n";
        }
    }

    public static void main(String[] args) throws IOException {
        long size = 0;
        long events = 0;
        long slices = 0;
        long seed = 42;
        boolean gzip = false;
        boolean quiet = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--size" -> size = parseSize(args[++i]);
                case "--events" -> events = parseSize(args[++i]);
                case "--slices" -> slices = parseSize(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out", "-o" -> out = Path.of(args[++i]);
                case "--gzip" -> gzip = true;
                case "--quiet", "-q" -> quiet = true;
                case "--help", "-h" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    System.err.println("TraceGenerator: unknown argument " + a);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        if (out == null || (size <= 0 && events <= 0 && slices <= 0)) {
            usage(System.err);
            System.exit(2);
        }
        gzip |= out.getFileName().toString().endsWith(".gz");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        long t0 = System.nanoTime();
        Stats stats;
        try (OutputStream os = open(out, gzip)) {
            stats = new TraceGenerator(seed).generate(os, new Limits(size, events, slices));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Files.writeString(Path.of(out + ".stats"), stats.toProperties() + "seed=" + seed + "\ngzip=" + gzip
                + "\nfile_bytes=" + Files.size(out) + "\n");
        if (!quiet) {
            System.err.printf(Locale.ROOT, "TraceGenerator: %s: %,d bytes of JSON, %,d events (%,d slices, %,d kernels,"
                            + " %,d steps) in %.1f s (%.0f MB/s)%n", out, stats.bytes, stats.events, stats.slices,
                    stats.kernels, stats.steps, secs, stats.bytes / 1e6 / secs);
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: TraceGenerator --out FILE(.json|.json.gz) (--size N[k|m|g] | --events N | --slices N)"
                + " [--gzip] [--seed N] [--quiet]");
    }

    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'b') {
            t = t.substring(0, t.length() - 1);
            last = t.charAt(t.length() - 1);
        }
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            default -> mult = 1;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return (long) (Double.parseDouble(t) * mult);
    }

    private static OutputStream open(Path out, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(out);
        if (!gzip) {
            return new BufferedOutputStream(raw, 1 << 20);
        }
        return new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 20), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    // ---- the model: recipes of nested ops built once from the vocabulary -----------------------------

    /** GPU work one op launches: a runtime call and (except for syncs) its GPU activity. */
    static final class Launch {
        int runtime;                // index into TraceVocabulary.RUNTIME
        byte[] gpuName;             // quoted JSON string
        byte[] gpuCat;              // quoted JSON string
        byte[] gpuStaticArgs;       // args after "correlation": N
        int stream;
        long meanNs;
        long bytes;                 // memcpy/memset size, 0 for kernels
    }

    /** One op (or annotation) and what it calls. */
    static final class OpNode {
        byte[] name;
        byte[] cat;
        byte[] staticArgs;          // ", \"Concrete Inputs\": ..., \"Input Dims\": ..." or empty
        boolean sequenced;          // writes "Sequence number" (autograd-recorded ops)
        boolean memoryEvent;        // an allocation: a [memory] instant
        OpNode[] children = new OpNode[0];
        Launch[] launches = new Launch[0];
        long preNs;
        long postNs;
        long waitNs;                // extra self time (data loading), heavy-tailed per instance
    }

    private final SplittableRandom setupRng;
    private final SplittableRandom rng;
    private final List<byte[]> kernelNames = new ArrayList<>();
    private final long[] kernelMeanNs;
    private final List<OpNode> forward = new ArrayList<>();
    private final List<OpNode> backward = new ArrayList<>();
    private OpNode dataLoader;
    private OpNode optimizerStep;
    private OpNode zeroGrad;
    private OpNode lossItem;
    private OpNode allReduce;

    private static final Set<String> METADATA_OPS = Set.of("aten::t", "aten::transpose", "aten::as_strided",
            "aten::view", "aten::reshape", "aten::_unsafe_view", "aten::empty", "aten::empty_strided", "aten::empty_like",
            "aten::slice", "aten::select", "aten::unsqueeze", "aten::squeeze", "aten::expand", "aten::permute",
            "aten::split", "aten::split_with_sizes", "aten::chunk", "aten::narrow", "aten::unbind", "aten::flatten",
            "aten::detach", "aten::detach_", "aten::alias", "aten::resize_", "aten::set_", "aten::result_type",
            "aten::new_empty", "aten::lift_fresh", "aten::is_pinned", "aten::_has_compatible_shallow_copy_type",
            "aten::record_stream", "aten::contiguous", "aten::to", "aten::is_nonzero", "aten::item");

    TraceGenerator(long seed) {
        setupRng = new SplittableRandom(seed);
        rng = new SplittableRandom(seed * 31 + 7);
        for (String k : TraceVocabulary.kernelNames()) {
            kernelNames.add(quote(k));
        }
        kernelMeanNs = new long[kernelNames.size()];
        for (int i = 0; i < kernelMeanNs.length; i++) {
            // log-uniform 2 µs .. 600 µs: many tiny elementwise kernels, a few long GEMMs / attention kernels
            kernelMeanNs[i] = (long) Math.exp(Math.log(2_000) + setupRng.nextDouble() * (Math.log(600_000) - Math.log(2_000)));
        }
        buildRecipes();
    }

    private void buildRecipes() {
        List<String> fwd = TraceVocabulary.FORWARD_OPS;
        for (int i = 0; i < FORWARD_RECIPES; i++) {
            forward.add(buildOp(fwd.get(i % fwd.size()), 0, true, fwd));
        }
        List<String> nodes = TraceVocabulary.BACKWARD_NODES;
        List<String> bwdOps = new ArrayList<>(TraceVocabulary.BACKWARD_OPS);
        bwdOps.addAll(fwd.subList(0, 40));
        for (int i = 0; i < FORWARD_RECIPES; i++) {
            String node = nodes.get(i % nodes.size());
            OpNode eval = plain("autograd::engine::evaluate_function: " + node, "cpu_op", "");
            OpNode inner = plain(node, "cpu_op", "");
            inner.sequenced = true;
            int n = 1 + setupRng.nextInt(2);
            inner.children = new OpNode[n];
            for (int c = 0; c < n; c++) {
                inner.children[c] = buildOp(bwdOps.get(setupRng.nextInt(bwdOps.size())), 2, false, fwd);
            }
            eval.children = new OpNode[] {inner};
            backward.add(eval);
        }

        dataLoader = plain(TraceVocabulary.DATALOADER, "user_annotation", "");
        OpNode to = opWithArgs("aten::to", 3);
        OpNode toCopy = opWithArgs("aten::_to_copy", 3);
        OpNode emptyStrided = opWithArgs("aten::empty_strided", 2);
        emptyStrided.memoryEvent = true;
        OpNode copy = opWithArgs("aten::copy_", 2);
        copy.launches = new Launch[] {memcpy("Memcpy HtoD (Pinned -> Device)", 16L * 4096 * 8)};
        toCopy.children = new OpNode[] {emptyStrided, copy};
        to.children = new OpNode[] {toCopy};
        dataLoader.children = new OpNode[] {to, opWithArgs("aten::to", 3)};
        dataLoader.waitNs = 300_000;

        optimizerStep = plain(TraceVocabulary.OPTIMIZER_STEP, "user_annotation", "");
        List<OpNode> opt = new ArrayList<>();
        for (String op : TraceVocabulary.OPTIMIZER_OPS) {
            OpNode o = opWithArgs(op, 4);
            int k = 1 + setupRng.nextInt(3);
            o.launches = new Launch[k];
            for (int j = 0; j < k; j++) {
                o.launches[j] = kernel(pickKernel("multi_tensor_apply"), COMPUTE_STREAM);
            }
            opt.add(o);
        }
        optimizerStep.children = opt.toArray(new OpNode[0]);
        zeroGrad = plain(TraceVocabulary.OPTIMIZER_ZERO_GRAD, "user_annotation", "");
        OpNode zero = opWithArgs("aten::_foreach_zero_", 1);
        zero.launches = new Launch[] {kernel(pickKernel("ZeroFunctor"), COMPUTE_STREAM)};
        zeroGrad.children = new OpNode[] {zero};

        lossItem = opWithArgs("aten::item", 1);
        OpNode dense = opWithArgs("aten::_local_scalar_dense", 1);
        Launch d2h = memcpy("Memcpy DtoH (Device -> Pinned)", 4);
        Launch sync = new Launch();
        sync.runtime = TraceVocabulary.STREAM_SYNC;
        dense.launches = new Launch[] {d2h, sync};
        lossItem.children = new OpNode[] {dense};

        allReduce = plain("record_param_comms", "cpu_op", "");
        OpNode nccl = opWithArgs("nccl:all_reduce", 1);
        nccl.launches = new Launch[] {kernel(pickKernel("ncclDevKernel_AllReduce"), NCCL_STREAM)};
        allReduce.children = new OpNode[] {opWithArgs("c10d::allreduce_", 2), nccl};
    }

    private int nextKernel;   // other launch sites take the kernels in turn, so every name appears

    private OpNode buildOp(String name, int depth, boolean sequenced, List<String> pool) {
        OpNode op = opWithArgs(name, 1 + setupRng.nextInt(4));
        op.sequenced = sequenced;
        op.memoryEvent = name.startsWith("aten::empty") || name.equals("aten::new_empty");
        int children = 0;
        if (depth < 3 && !METADATA_OPS.contains(name)) {
            int r = setupRng.nextInt(100);
            children = r < 40 ? 0 : r < 70 ? 1 : r < 90 ? 2 : 3;
        }
        op.children = new OpNode[children];
        for (int c = 0; c < children; c++) {
            op.children[c] = buildOp(pool.get(setupRng.nextInt(pool.size())), depth + 1, false, pool);
        }
        if (!METADATA_OPS.contains(name)) {
            if (name.equals("aten::zero_") || name.equals("aten::fill_")) {
                op.launches = new Launch[] {setupRng.nextBoolean() ? memset() : kernel(pickKernel("FillFunctor"), COMPUTE_STREAM)};
            } else if (name.equals("aten::copy_") && setupRng.nextInt(4) == 0) {
                op.launches = new Launch[] {memcpy("Memcpy DtoD (Device -> Device)", 1L << (12 + setupRng.nextInt(12)))};
            } else if (children == 0 ? setupRng.nextInt(100) < 75 : setupRng.nextInt(100) < 10) {
                boolean gemm = name.contains("mm") || name.equals("aten::linear") || name.equals("aten::matmul");
                op.launches = new Launch[] {kernel(gemm ? pickKernel("gemm") : nextKernel++ % kernelNames.size(),
                        COMPUTE_STREAM)};
            }
        }
        return op;
    }

    private int pickKernel(String containing) {
        List<Integer> matches = new ArrayList<>();
        List<String> names = TraceVocabulary.kernelNames();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).contains(containing)) {
                matches.add(i);
            }
        }
        return matches.get(setupRng.nextInt(matches.size()));
    }

    private OpNode plain(String name, String cat, String staticArgs) {
        OpNode op = new OpNode();
        op.name = quote(name);
        op.cat = quote(cat);
        op.staticArgs = staticArgs.getBytes(StandardCharsets.UTF_8);
        op.preNs = 1_000 + setupRng.nextInt(4_000);
        op.postNs = 500 + setupRng.nextInt(2_000);
        return op;
    }

    private static final long[] DIM_SIZES = {1, 8, 16, 32, 64, 128, 512, 559, 768, 1024, 2048, 4096, 151936};
    private static final String[] TYPES = {"c10::BFloat16", "c10::BFloat16", "float", "long int", "bool"};

    /** An op whose args carry realistic shapes: the same for every call of this op site. */
    private OpNode opWithArgs(String name, int inputs) {
        StringBuilder conc = new StringBuilder(", \"Concrete Inputs\": [");
        StringBuilder type = new StringBuilder(", \"Input type\": [");
        StringBuilder strides = new StringBuilder(", \"Input Strides\": [");
        StringBuilder dims = new StringBuilder(", \"Input Dims\": [");
        for (int i = 0; i < inputs; i++) {
            String sep = i == 0 ? "" : ", ";
            boolean scalar = i > 0 && setupRng.nextInt(4) == 0;
            if (scalar) {
                String[] values = {"1", "-1", "False", "True", "0.10000000000000001"};
                conc.append(sep).append('"').append(values[setupRng.nextInt(values.length)]).append('"');
                type.append(sep).append("\"Scalar\"");
                strides.append(sep).append("[]");
                dims.append(sep).append("[]");
                continue;
            }
            int rank = 1 + setupRng.nextInt(4);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = DIM_SIZES[setupRng.nextInt(DIM_SIZES.length)];
            }
            long[] stride = new long[rank];
            long acc = 1;
            for (int d = rank - 1; d >= 0; d--) {
                stride[d] = acc;
                acc *= shape[d];
            }
            conc.append(sep).append("\"\"");
            type.append(sep).append('"').append(TYPES[setupRng.nextInt(TYPES.length)]).append('"');
            strides.append(sep).append(Arrays.toString(stride));
            dims.append(sep).append(Arrays.toString(shape));
        }
        String args = conc.append(']').toString() + type.append(']') + strides.append(']') + dims.append(']');
        return plain(name, "cpu_op", args);
    }

    private Launch kernel(int index, int stream) {
        Launch l = new Launch();
        l.runtime = TraceVocabulary.LAUNCH;
        l.gpuName = kernelNames.get(index);
        l.gpuCat = quote("kernel");
        l.stream = stream;
        l.meanNs = kernelMeanNs[index];
        int block = 64 << setupRng.nextInt(5);
        int grid = 1 + setupRng.nextInt(4096);
        int regs = 16 + 8 * setupRng.nextInt(28);
        int shared = setupRng.nextInt(3) == 0 ? 0 : 1024 * (1 + setupRng.nextInt(227));
        double blocksPerSm = grid / 132.0;
        double warpsPerSm = blocksPerSm * block / 32.0;
        int occupancy = (int) Math.min(100, Math.round(warpsPerSm / 64.0 * 100));
        l.gpuStaticArgs = (", \"registers per thread\": " + regs + ", \"shared memory\": " + shared
                + ", \"blocks per SM\": " + (float) blocksPerSm + ", \"warps per SM\": " + (float) warpsPerSm
                + ", \"grid\": [" + grid + ", 1, 1], \"block\": [" + block + ", 1, 1], \"est. achieved occupancy %\": "
                + occupancy).getBytes(StandardCharsets.US_ASCII);
        return l;
    }

    private Launch memcpy(String name, long bytes) {
        Launch l = new Launch();
        l.runtime = TraceVocabulary.MEMCPY;
        l.gpuName = quote(name);
        l.gpuCat = quote("gpu_memcpy");
        l.stream = COMPUTE_STREAM;
        l.bytes = bytes;
        l.meanNs = 1_500 + bytes / (name.contains("DtoD") ? 1_500 : 20); // ~1.5 TB/s on device, ~20 GB/s over PCIe
        return l;
    }

    private Launch memset() {
        Launch l = new Launch();
        l.runtime = TraceVocabulary.MEMSET;
        l.gpuName = quote("Memset (Device)");
        l.gpuCat = quote("gpu_memset");
        l.stream = COMPUTE_STREAM;
        l.bytes = 4L << setupRng.nextInt(20);
        l.meanNs = 1_000 + l.bytes / 1_000;
        return l;
    }

    // ---- output --------------------------------------------------------------------------------

    /** A growable byte buffer with the number formats a Chrome trace needs. */
    static final class Buf {
        byte[] a = new byte[1 << 16];
        int n;

        void ensure(int more) {
            if (n + more > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + more));
            }
        }

        Buf raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, a, n, b.length);
            n += b.length;
            return this;
        }

        Buf num(long v) {
            ensure(20);
            if (v < 0) {
                a[n++] = '-';
                v = -v;
            }
            if (v < 10) {
                a[n++] = (byte) ('0' + v);
                return this;
            }
            int digits = 0;
            for (long t = v; t > 0; t /= 10) {
                digits++;
            }
            int end = n + digits;
            for (int i = end - 1; i >= n; i--) {
                a[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            n = end;
            return this;
        }

        /** Nanoseconds as Kineto's microseconds with up to three decimals, trailing zeros dropped. */
        Buf micros(long ns) {
            num(ns / 1000);
            int frac = (int) (ns % 1000);
            if (frac != 0) {
                ensure(4);
                a[n++] = '.';
                a[n++] = (byte) ('0' + frac / 100);
                if (frac % 100 != 0) {
                    a[n++] = (byte) ('0' + frac / 10 % 10);
                    if (frac % 10 != 0) {
                        a[n++] = (byte) ('0' + frac % 10);
                    }
                }
            }
            return this;
        }

        Buf str(String s) {
            return raw(s.getBytes(StandardCharsets.UTF_8));
        }

        void writeTo(OutputStream os) throws IOException {
            os.write(a, 0, n);
        }

        void reset() {
            n = 0;
        }
    }

    static byte[] quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] EV_X_OPEN = b(",\n  {\n    \"ph\": \"X\", \"cat\": ");
    private static final byte[] EV_NAME = b(", \"name\": ");
    private static final byte[] EV_PID = b(", \"pid\": ");
    private static final byte[] EV_TID = b(", \"tid\": ");
    private static final byte[] EV_TS = b(",\n    \"ts\": ");
    private static final byte[] EV_DUR = b(", \"dur\": ");
    private static final byte[] EV_ARGS = b(",\n    \"args\": {\n      ");
    private static final byte[] EV_CLOSE = b("\n    }\n  }");
    private static final byte[] A_EXT = b("\"External id\": ");
    private static final byte[] A_RFID = b(", \"Record function id\": 0");
    private static final byte[] A_SEQ = b(", \"Sequence number\": ");
    private static final byte[] A_FWD = b(", \"Fwd thread id\": 0");
    private static final byte[] A_EVIDX = b(", \"Ev Idx\": ");
    private static final byte[] A_CBID = b(", \"cbid\": ");
    private static final byte[] A_CORR = b(", \"correlation\": ");
    private static final byte[] A_GPU_HEAD = b(", \"queued\": 0, \"device\": 0, \"context\": 1, \"stream\": ");
    private static final byte[] A_GPU_HEAD_NOQ = b(", \"device\": 0, \"context\": 1, \"stream\": ");
    private static final byte[] A_BYTES = b(", \"bytes\": ");
    private static final byte[] A_BW = b(", \"memory bandwidth (GB/s)\": ");
    private static final byte[] FLOW_S = b(",\n  {\n    \"ph\": \"s\", \"id\": ");
    private static final byte[] FLOW_F = b(",\n  {\n    \"ph\": \"f\", \"id\": ");
    private static final byte[] FLOW_TAIL = b(", \"cat\": \"ac2g\", \"name\": \"ac2g\"\n  }");
    private static final byte[] FLOW_TAIL_E = b(", \"cat\": \"ac2g\", \"name\": \"ac2g\", \"bp\": \"e\"\n  }");
    private static final byte[] MEM_OPEN = b(",\n  {\n    \"ph\": \"i\", \"cat\": \"cpu_instant_event\", \"s\": \"t\", \"name\": \"[memory]\", \"pid\": ");
    private static final byte[] CAT_CPU_OP = quote("cpu_op");
    private static final byte[] CAT_USER = quote("user_annotation");
    private static final byte[] CAT_GPU_USER = quote("gpu_user_annotation");
    private static final byte[] CAT_RUNTIME = quote("cuda_runtime");
    private static final byte[][] RUNTIME_NAMES;

    static {
        RUNTIME_NAMES = new byte[TraceVocabulary.RUNTIME.length][];
        for (int i = 0; i < RUNTIME_NAMES.length; i++) {
            RUNTIME_NAMES[i] = quote(TraceVocabulary.RUNTIME[i]);
        }
    }

    // ---- generation state ----------------------------------------------------------------------

    private final Buf cpu = new Buf();       // the step's host events (after its ProfilerStep)
    private final Buf gpu = new Buf();       // the step's GPU events and flow finishes
    private final Buf head = new Buf();      // the ProfilerStep event itself
    private long written;                    // bytes already written to the stream
    private long events;
    private long slices;
    private long kernels;
    private long flows;
    private long instants;
    private long metadata;
    private long externalId;
    private long correlation = 100_000;
    private long evIdx;
    private long sequence;
    private long stepFirstGpuNs;
    private long stepLastGpuNs;
    private long allocated = 1L << 30;
    private final long[] gpuClock = new long[32];
    private Limits limits;

    /** Host-side slices of one top-level op, in the order they are written (parents before children). */
    private static final class HostEvent {
        int kind;          // 0 op, 1 runtime, 2 flow start, 3 memory instant
        OpNode op;
        int runtime;
        long tid;
        long ts;
        long dur;
        long ext;
        long corr;
        long seq;
        long evIdx;
        long bytes;
    }

    private HostEvent[] pool = new HostEvent[256];
    private int used;

    private HostEvent next() {
        if (used == pool.length) {
            pool = Arrays.copyOf(pool, used * 2);
        }
        HostEvent e = pool[used];
        if (e == null) {
            e = pool[used] = new HostEvent();
        }
        used++;
        e.seq = -1;
        return e;
    }

    private long jitter(long mean) {
        return Math.max(1, (long) (mean * (0.8 + 0.45 * rng.nextDouble())));
    }

    private boolean limitReached() {
        return limits.reached(written + head.n + cpu.n + gpu.n, events, slices);
    }

    Stats generate(OutputStream os, Limits limits) throws IOException {
        this.limits = limits;
        Buf start = new Buf();
        writePreamble(start);
        start.writeTo(os);
        written += start.n;
        long clock = BASE_NS + 176_000;   // the main thread's clock
        long first = clock;
        long step = 1;
        Arrays.fill(gpuClock, clock);
        long steps = 0;
        boolean stop = false;
        while (!stop) {
            cpu.reset();
            gpu.reset();
            head.reset();
            stepFirstGpuNs = Long.MAX_VALUE;
            stepLastGpuNs = 0;
            long stepStart = clock;
            long stepExt = ++externalId;
            long stepEvIdx = evIdx++;
            clock += 2_000 + rng.nextInt(3_000);
            // data loading: usually quick, sometimes a long wait (an input-bound step)
            long wait = rng.nextInt(10) == 0 ? 5_000_000 + rng.nextInt(20_000_000) : 100_000 + rng.nextInt(400_000);
            clock = emitTree(dataLoader, MAIN_TID, clock, wait);
            for (int layer = 0; layer < LAYERS && !stop; layer++) {
                for (int slot = 0; slot < SLOTS_PER_LAYER; slot++) {
                    clock = emitTree(forward.get((layer * SLOTS_PER_LAYER + slot) % FORWARD_RECIPES), MAIN_TID, clock, 0);
                }
                stop = limitReached();
            }
            // backward runs on the autograd thread while the main thread waits in loss.backward()
            long back = clock + 20_000 + rng.nextInt(20_000);
            for (int layer = LAYERS - 1; layer >= 0 && !stop; layer--) {
                for (int slot = SLOTS_PER_LAYER - 1; slot >= 0; slot--) {
                    back = emitTree(backward.get((layer * SLOTS_PER_LAYER + slot) % FORWARD_RECIPES), AUTOGRAD_TID, back, 0);
                }
                back = emitTree(allReduce, AUTOGRAD_TID, back, 0);
                stop = limitReached();
            }
            clock = Math.max(clock, back) + 15_000 + rng.nextInt(10_000);
            clock = emitTree(optimizerStep, MAIN_TID, clock, 0);
            clock = emitTree(zeroGrad, MAIN_TID, clock, 0);
            clock = emitTree(lossItem, MAIN_TID, clock, 0);
            clock += 3_000 + rng.nextInt(5_000);
            // the step annotation on the host thread and its mirror on the GPU timeline
            String name = "ProfilerStep#" + step;
            byte[] stepName = quote(name);
            head.raw(EV_X_OPEN).raw(CAT_USER).raw(EV_NAME).raw(stepName).raw(EV_PID).num(PID).raw(EV_TID).num(MAIN_TID)
                    .raw(EV_TS).micros(stepStart).raw(EV_DUR).micros(clock - stepStart)
                    .raw(EV_ARGS).raw(A_EXT).num(stepExt).raw(A_RFID).raw(A_EVIDX).num(stepEvIdx).raw(EV_CLOSE);
            events++;
            slices++;
            if (stepFirstGpuNs != Long.MAX_VALUE) {
                gpu.raw(EV_X_OPEN).raw(CAT_GPU_USER).raw(EV_NAME).raw(stepName).raw(EV_PID).num(0).raw(EV_TID)
                        .num(COMPUTE_STREAM).raw(EV_TS).micros(stepFirstGpuNs).raw(EV_DUR).micros(stepLastGpuNs - stepFirstGpuNs)
                        .raw(EV_ARGS).raw(A_EXT).num(stepExt).raw(EV_CLOSE);
                events++;
                slices++;
            }
            head.writeTo(os);
            cpu.writeTo(os);
            gpu.writeTo(os);
            written += head.n + cpu.n + gpu.n;
            steps++;
            step++;
            clock += 10_000 + rng.nextInt(40_000);
            stop = stop || limitReached();
        }
        long end = Math.max(clock, Arrays.stream(gpuClock).max().orElse(clock));
        Buf tail = new Buf();
        writeTrailer(tail, first - 176_000, end);
        tail.writeTo(os);
        written += tail.n;
        return new Stats(written, events, slices, kernels, steps, flows, instants, metadata, first, end);
    }

    /** Simulates one top-level op on thread {@code tid} from {@code clock}; writes it; returns the new clock. */
    private long emitTree(OpNode root, long tid, long clock, long extraWait) {
        used = 0;
        clock = simulate(root, tid, clock, extraWait);
        for (int i = 0; i < used; i++) {
            writeHost(pool[i]);
        }
        return clock;
    }

    private long simulate(OpNode op, long tid, long clock, long extraWait) {
        HostEvent e = next();
        e.kind = 0;
        e.op = op;
        e.tid = tid;
        e.ts = clock;
        e.ext = ++externalId;
        e.evIdx = evIdx++;
        if (op.sequenced) {
            e.seq = sequence++;
        }
        clock += jitter(op.preNs) + extraWait;
        if (op.memoryEvent) {
            HostEvent m = next();
            m.kind = 3;
            m.tid = tid;
            m.ts = clock - 200;
            m.evIdx = evIdx++;
            m.bytes = 512L << rng.nextInt(16);
        }
        for (OpNode child : op.children) {
            clock = simulate(child, tid, clock, 0) + 300 + rng.nextInt(700);
        }
        for (Launch l : op.launches) {
            clock = launch(l, e.ext, tid, clock);
        }
        clock += jitter(op.postNs);
        e.dur = clock - e.ts;
        return clock;
    }

    private long launch(Launch l, long ext, long tid, long clock) {
        HostEvent r = next();
        r.kind = 1;
        r.runtime = l.runtime;
        r.tid = tid;
        r.ts = clock;
        r.ext = ext;
        r.corr = ++correlation;
        if (l.runtime == TraceVocabulary.STREAM_SYNC) {
            long done = gpuClock[COMPUTE_STREAM];
            r.dur = Math.max(2_000, done - clock + 3_000);
            return clock + r.dur;
        }
        r.dur = jitter(l.runtime == TraceVocabulary.LAUNCH ? 4_500 : 7_000);
        HostEvent s = next();
        s.kind = 2;
        s.tid = tid;
        s.ts = clock;
        s.corr = r.corr;
        // the GPU side, complete now: written straight into the step's GPU buffer
        long start = Math.max(gpuClock[l.stream], clock + 2_000 + rng.nextInt(4_000));
        long dur = jitter(l.meanNs);
        gpuClock[l.stream] = start + dur + 500 + rng.nextInt(1_500);
        stepFirstGpuNs = Math.min(stepFirstGpuNs, start);
        stepLastGpuNs = Math.max(stepLastGpuNs, start + dur);
        gpu.raw(EV_X_OPEN).raw(l.gpuCat).raw(EV_NAME).raw(l.gpuName).raw(EV_PID).num(0).raw(EV_TID).num(l.stream)
                .raw(EV_TS).micros(start).raw(EV_DUR).micros(dur).raw(EV_ARGS).raw(A_EXT).num(ext)
                .raw(l.bytes == 0 ? A_GPU_HEAD : A_GPU_HEAD_NOQ).num(l.stream).raw(A_CORR).num(r.corr);
        if (l.bytes == 0) {
            gpu.raw(l.gpuStaticArgs);
            kernels++;
        } else {
            gpu.raw(A_BYTES).num(l.bytes).raw(A_BW).str(Double.toString(l.bytes / (double) dur));
        }
        gpu.raw(EV_CLOSE);
        gpu.raw(FLOW_F).num(r.corr).raw(EV_PID).num(0).raw(EV_TID).num(l.stream).raw(EV_TS).micros(start).raw(FLOW_TAIL_E);
        events += 2;
        slices++;
        flows++;
        return clock + r.dur;
    }

    private void writeHost(HostEvent e) {
        Buf o = cpu;
        switch (e.kind) {
            case 0 -> {
                o.raw(EV_X_OPEN).raw(e.op.cat).raw(EV_NAME).raw(e.op.name).raw(EV_PID).num(PID).raw(EV_TID).num(e.tid)
                        .raw(EV_TS).micros(e.ts).raw(EV_DUR).micros(e.dur).raw(EV_ARGS).raw(A_EXT).num(e.ext).raw(A_RFID);
                if (e.seq >= 0) {
                    o.raw(A_SEQ).num(e.seq).raw(A_FWD);
                }
                o.raw(e.op.staticArgs).raw(A_EVIDX).num(e.evIdx).raw(EV_CLOSE);
                slices++;
            }
            case 1 -> {
                o.raw(EV_X_OPEN).raw(CAT_RUNTIME).raw(EV_NAME).raw(RUNTIME_NAMES[e.runtime]).raw(EV_PID).num(PID)
                        .raw(EV_TID).num(e.tid).raw(EV_TS).micros(e.ts).raw(EV_DUR).micros(e.dur).raw(EV_ARGS)
                        .raw(A_EXT).num(e.ext).raw(A_CBID).num(TraceVocabulary.RUNTIME_CBID[e.runtime])
                        .raw(A_CORR).num(e.corr).raw(EV_CLOSE);
                slices++;
            }
            case 2 -> {
                o.raw(FLOW_S).num(e.corr).raw(EV_PID).num(PID).raw(EV_TID).num(e.tid).raw(EV_TS).micros(e.ts).raw(FLOW_TAIL);
                flows++;
            }
            default -> {
                allocated += e.bytes;
                o.raw(MEM_OPEN).num(PID).raw(EV_TID).num(e.tid).raw(EV_TS).micros(e.ts)
                        .str(",\n    \"args\": {\n      \"Total Reserved\": ").num(allocated + (1L << 31))
                        .str(", \"Total Allocated\": ").num(allocated).str(", \"Bytes\": ").num(e.bytes)
                        .str(", \"Addr\": ").num(139_637_880_000_000L + (e.evIdx << 9)).str(", \"Device Id\": 0, \"Device Type\": 1")
                        .raw(A_EVIDX).num(e.evIdx).raw(EV_CLOSE);
                instants++;
            }
        }
        events++;
    }

    private void writePreamble(Buf o) {
        o.str("{\n  \"schemaVersion\": 1,\n  \"deviceProperties\": [\n    {\n"
                + "      \"id\": 0, \"name\": \"NVIDIA H100 80GB HBM3\", \"totalGlobalMem\": 85045477376,\n"
                + "      \"computeMajor\": 9, \"computeMinor\": 0,\n"
                + "      \"maxThreadsPerBlock\": 1024, \"maxThreadsPerMultiprocessor\": 2048,\n"
                + "      \"regsPerBlock\": 65536, \"regsPerMultiprocessor\": 65536, \"warpSize\": 32,\n"
                + "      \"sharedMemPerBlock\": 49152, \"sharedMemPerMultiprocessor\": 233472,\n"
                + "      \"numSms\": 132, \"sharedMemPerBlockOptin\": 232448\n    }\n  ],\n"
                + "  \"distributedInfo\": {\"backend\": \"nccl\", \"rank\": 0, \"world_size\": 8, \"pg_count\": 1},\n"
                + "  \"traceEvents\": [\n");
        long ts = BASE_NS;
        boolean firstEvent = true;
        String[][] meta = {
            {"process_name", String.valueOf(PID), "0", "\"name\": \"python3\""},
            {"process_labels", String.valueOf(PID), "0", "\"labels\": \"CPU\""},
            {"process_sort_index", String.valueOf(PID), "0", "\"sort_index\": " + PID},
            {"process_name", "0", "0", "\"name\": \"python3\""},
            {"process_labels", "0", "0", "\"labels\": \"GPU 0\""},
            {"process_sort_index", "0", "0", "\"sort_index\": 16777216"},
            {"thread_name", "0", String.valueOf(COMPUTE_STREAM), "\"name\": \"stream " + COMPUTE_STREAM + " \""},
            {"thread_sort_index", "0", String.valueOf(COMPUTE_STREAM), "\"sort_index\": " + COMPUTE_STREAM},
            {"thread_name", "0", String.valueOf(NCCL_STREAM), "\"name\": \"stream " + NCCL_STREAM + " \""},
            {"thread_sort_index", "0", String.valueOf(NCCL_STREAM), "\"sort_index\": " + NCCL_STREAM},
            {"thread_name", String.valueOf(PID), String.valueOf(MAIN_TID), "\"name\": \"thread " + MAIN_TID + " (python3)\""},
            {"thread_sort_index", String.valueOf(PID), String.valueOf(MAIN_TID), "\"sort_index\": " + MAIN_TID},
            {"thread_name", String.valueOf(PID), String.valueOf(AUTOGRAD_TID), "\"name\": \"thread " + AUTOGRAD_TID + " (pt_autograd_0)\""},
            {"thread_sort_index", String.valueOf(PID), String.valueOf(AUTOGRAD_TID), "\"sort_index\": " + AUTOGRAD_TID},
        };
        for (String[] m : meta) {
            o.str(firstEvent ? "  {\n" : ",\n  {\n");
            firstEvent = false;
            o.str("    \"name\": \"" + m[0] + "\", \"ph\": \"M\", \"ts\": ").micros(ts)
                    .str(", \"pid\": " + m[1] + ", \"tid\": " + m[2] + ",\n    \"args\": {\n      " + m[3] + "\n    }\n  }");
            events++;
            metadata++;
        }
    }

    private void writeTrailer(Buf o, long start, long end) {
        o.str(",\n  {\n    \"ph\": \"X\", \"cat\": \"Trace\", \"ts\": ").micros(start).str(", \"dur\": ").micros(end - start)
                .str(",\n    \"pid\": \"Spans\", \"tid\": \"PyTorch Profiler\",\n    \"name\": \"PyTorch Profiler (0)\",\n"
                        + "    \"args\": {\n      \"Op count\": 0\n    }\n  }");
        o.str(",\n  {\n    \"name\": \"process_sort_index\", \"ph\": \"M\", \"ts\": ").micros(start)
                .str(",\n    \"pid\": \"Spans\", \"tid\": 0,\n    \"args\": {\n      \"sort_index\": 536870912\n    }\n  }");
        o.str(",\n  {\n    \"name\": \"Iteration Start: PyTorch Profiler\", \"ph\": \"i\", \"s\": \"g\",\n"
                + "    \"pid\": \"Traces\", \"tid\": \"Trace PyTorch Profiler\", \"ts\": ").micros(start).str("\n  }");
        events += 3;
        slices++;
        metadata++;
        instants++;
        o.str("\n  ],\n  \"traceName\": \"synthetic_rank0.pt.trace.json\",\n  \"displayTimeUnit\": \"ms\"\n}\n");
    }
}
