package dev.throughline.storage.summary;

import dev.throughline.storage.Category;
import dev.throughline.storage.LongList;
import dev.throughline.storage.TrackKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Collects, while slices are ingested, the few columns the close-time summaries need (steps, GPU
 * activity, launch calls, host ops, requests) in primitive arrays, and at close feeds them to
 * {@link StepBreakdownCalculator}, {@link HtaTemporalBreakdown} and {@link TraceLensGpuTimeline} and
 * writes summary_step, summary_gpu and summary_latency. No second scan of the slice table.
 * Which slices feed which role is written down in docs/analysis.md.
 */
public final class SummaryBuilder {
    private static final String STEP_PREFIX = "ProfilerStep#";

    private final IntUnaryOperator trackDevice;
    private final IntFunction<TrackKind> trackKind;
    private final IntFunction<String> nameOf;

    // host ProfilerStep slices
    private final LongList stepStart = new LongList();
    private final LongList stepEnd = new LongList();
    private final LongList stepNumber = new LongList();
    private final LongList stepNameId = new LongList();
    private final Set<Integer> stepNames = new HashSet<>();
    private long lastStepStart = Long.MIN_VALUE; // host or GPU-side copy: HTA's cut-off
    // GPU activity
    private final LongList gpuStart = new LongList();
    private final LongList gpuEnd = new LongList();
    private final LongList gpuCorrelation = new LongList();
    /** device << 40 | category id << 32 | name id */
    private final LongList gpuKey = new LongList();
    private final LongList gpuTrack = new LongList(); // the stream's track: HTA's idle breakdown is per stream
    // launch calls (cuda_api) with a correlation id: runtime or driver
    private final LongList launchCorrelation = new LongList();
    private final LongList launchStart = new LongList();
    private final LongList launchEnd = new LongList();
    private final LongList launchIsRuntime = new LongList();
    // host roles of the step breakdown, straight into interval builders
    private final StepBreakdownCalculator steps = new StepBreakdownCalculator();
    private boolean anyHostRole;
    // name classification caches, by name id
    private final Map<Integer, Byte> nameClass = new HashMap<>();
    private final Map<Integer, LongList> requestDurations = new HashMap<>();
    private final long[][] durationCount = new long[16][65];
    private final long[][] durationTotal = new long[16][65];
    private long origin;

    /**
     * @param trackDevice the GPU device of a track, or -1 for host tracks
     * @param trackKind the kind of a track
     * @param nameOf the string of an interned name id
     */
    public SummaryBuilder(IntUnaryOperator trackDevice, IntFunction<TrackKind> trackKind, IntFunction<String> nameOf) {
        this.trackDevice = trackDevice;
        this.trackKind = trackKind;
        this.nameOf = nameOf;
    }

    public void accept(int trackId, long startNs, long durNs, int nameId, Category category, long correlationId) {
        long endNs = startNs + durNs;
        switch (category) {
            case STEP -> {
                stepStart.add(startNs);
                stepEnd.add(endNs);
                stepNumber.add(stepNumber(nameOf.apply(nameId), stepNumber.size()));
                stepNameId.add(nameId);
                stepNames.add(nameId);
                lastStepStart = Math.max(lastStepStart, startNs);
            }
            case KERNEL, MEMCPY, MEMSET -> {
                int bucket = 64 - Long.numberOfLeadingZeros(Math.max(0, durNs - 1)); // 2^bucket ≥ dur
                durationCount[category.id][bucket]++;
                durationTotal[category.id][bucket] += durNs;
                gpuStart.add(startNs);
                gpuEnd.add(endNs);
                gpuCorrelation.add(correlationId);
                long device = Math.max(0, trackDevice.applyAsInt(trackId));
                gpuKey.add(device << 40 | (long) category.id << 32 | nameId);
                gpuTrack.add(trackId);
            }
            case CUDA_API -> {
                boolean driver = isDriverCall(nameId); // one name lookup per launch call: this is the ingest path
                if (correlationId >= 0) {
                    launchCorrelation.add(correlationId);
                    launchStart.add(startNs);
                    launchEnd.add(endNs);
                    launchIsRuntime.add(driver ? 0 : 1);
                }
                if (!driver) {
                    hostRole(StepBreakdownCalculator.Role.RUNTIME, startNs, endNs);
                }
            }
            case CPU_OP -> {
                byte c = classify(nameId);
                if (c == DATALOADER) {
                    hostRole(StepBreakdownCalculator.Role.DATALOADER, startNs, endNs);
                } else if (c == COMMUNICATION) {
                    hostRole(StepBreakdownCalculator.Role.COMMUNICATION, startNs, endNs);
                } else {
                    hostRole(StepBreakdownCalculator.Role.CPU_OP, startNs, endNs);
                }
            }
            case DATA_WAIT -> hostRole(StepBreakdownCalculator.Role.DATALOADER, startNs, endNs);
            case USER -> {
                TrackKind kind = trackKind.apply(trackId);
                if (kind == TrackKind.GPU_ANNOTATION && nameOf.apply(nameId).startsWith(STEP_PREFIX)) {
                    lastStepStart = Math.max(lastStepStart, startNs);
                    stepNames.add(nameId);
                }
                if (kind == TrackKind.THREAD || kind == TrackKind.GPU_ANNOTATION) {
                    hostRole(StepBreakdownCalculator.Role.CPU_OP, startNs, endNs);
                }
            }
            case REQUEST -> requestDurations.computeIfAbsent(nameId, k -> new LongList()).add(durNs);
            default -> {
                // python functions, phases, syncs, gc: not part of these summaries
            }
        }
    }

    private void hostRole(StepBreakdownCalculator.Role role, long start, long end) {
        steps.addHostInterval(role, start, end);
        anyHostRole = true;
    }

    private static final byte OTHER = 0;
    private static final byte DATALOADER = 1;
    private static final byte COMMUNICATION = 2;
    private static final byte DRIVER = 3;

    private byte classify(int nameId) {
        return nameClass.computeIfAbsent(nameId, id -> {
            String name = nameOf.apply(id);
            if (StepBreakdownCalculator.isDataLoaderName(name)) {
                return DATALOADER;
            }
            if (StepBreakdownCalculator.isCommunicationOpName(name)) {
                return COMMUNICATION;
            }
            // CUDA driver API calls are cu* (cuLaunchKernel); runtime calls are cuda* (cudaLaunchKernel)
            if (name.startsWith("cu") && !name.startsWith("cuda") && name.length() > 2
                    && Character.isUpperCase(name.charAt(2))) {
                return DRIVER;
            }
            return OTHER;
        });
    }

    private boolean isDriverCall(int nameId) {
        return classify(nameId) == DRIVER;
    }

    static long stepNumber(String name, long fallback) {
        if (name.startsWith(STEP_PREFIX)) {
            try {
                return Long.parseLong(name.substring(STEP_PREFIX.length()).trim());
            } catch (NumberFormatException ignored) {
                // a step named ProfilerStep#x: numbered by order
            }
        }
        return fallback;
    }

    /** @param origin subtracted from every time written: stored times are relative (capture-format.md) */
    public void write(Connection db, long origin) throws SQLException {
        this.origin = origin;
        Launches launches = new Launches();
        writeSteps(db, launches);
        writeGpus(db, launches);
        writeGpuIdle(db, launches);
        writeLatency(db);
        writeDurations(db);
    }

    private void writeDurations(Connection db) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO summary_duration(category, upper_ns, count, total_ns) VALUES (?, ?, ?, ?)")) {
            for (int cat = 0; cat < durationCount.length; cat++) {
                for (int b = 0; b < 64; b++) {
                    if (durationCount[cat][b] > 0) {
                        ps.setInt(1, cat);
                        ps.setLong(2, 1L << b);
                        ps.setLong(3, durationCount[cat][b]);
                        ps.setLong(4, durationTotal[cat][b]);
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }

    /** Launch calls sorted by correlation id, for binary search from each GPU activity. */
    private final class Launches {
        final long[] correlation;
        final int[] order;

        Launches() {
            correlation = launchCorrelation.toArray();
            order = IndexSort.order(correlation, null, correlation.length);
            long[] sorted = new long[correlation.length];
            for (int i = 0; i < order.length; i++) {
                sorted[i] = correlation[order[i]];
            }
            System.arraycopy(sorted, 0, correlation, 0, sorted.length);
        }

        /** Index into the launch lists of the call with this correlation id, preferring a runtime call; -1 if none. */
        int find(long corr, boolean runtimeOnly) {
            if (corr < 0) {
                return -1;
            }
            int i = Arrays.binarySearch(correlation, corr);
            if (i < 0) {
                return -1;
            }
            while (i > 0 && correlation[i - 1] == corr) {
                i--;
            }
            for (; i < correlation.length && correlation[i] == corr; i++) {
                int idx = order[i];
                if (!runtimeOnly || launchIsRuntime.get(idx) == 1) {
                    return idx;
                }
            }
            return -1;
        }
    }

    private void writeSteps(Connection db, Launches launches) throws SQLException {
        if (stepStart.isEmpty()) {
            return; // no ProfilerStep: no steps (the plugin's whole-trace fallback step is not a step)
        }
        for (int i = 0; i < stepStart.size(); i++) {
            steps.addStep(stepNumber.get(i), stepStart.get(i), stepEnd.get(i));
        }
        for (int i = 0; i < gpuStart.size(); i++) {
            long key = gpuKey.get(i);
            Category cat = Category.byId((int) (key >>> 32) & 0xff);
            String name = nameOf.apply((int) key);
            StepBreakdownCalculator.Role role = switch (cat) {
                case MEMCPY -> StepBreakdownCalculator.Role.MEMCPY;
                case MEMSET -> StepBreakdownCalculator.Role.MEMSET;
                default -> name.startsWith("nccl") ? StepBreakdownCalculator.Role.COMMUNICATION
                        : StepBreakdownCalculator.Role.KERNEL;
            };
            int launch = launches.find(gpuCorrelation.get(i), true);
            steps.addDeviceEvent(role, gpuStart.get(i), gpuEnd.get(i),
                    launch < 0 ? StepBreakdownCalculator.UNMATCHED : launchStart.get(launch),
                    launch < 0 ? StepBreakdownCalculator.UNMATCHED : launchEnd.get(launch));
        }
        // step number → its host slices in time order (a number can repeat: merged ranks, two sessions);
        // compute() returns steps in time order, so each takes the next host slice of its number
        Map<Long, java.util.ArrayDeque<Integer>> byNumber = new HashMap<>();
        int[] hostOrder = IndexSort.order(stepStart.toArray(), null, stepStart.size());
        for (int i : hostOrder) {
            byNumber.computeIfAbsent(stepNumber.get(i), k -> new java.util.ArrayDeque<>()).add(i);
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO summary_step(step, name_id, host_start_ns,"
                + " host_dur_ns, start_ns, end_ns, kernel_ns, memcpy_ns, memset_ns, communication_ns, runtime_ns,"
                + " dataloader_ns, cpu_exec_ns, other_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StepBreakdown s : steps.compute()) {
                java.util.ArrayDeque<Integer> hosts = byNumber.get(s.stepNumber());
                Integer host = hosts == null ? null : hosts.poll();
                if (host == null) {
                    continue; // only host ProfilerStep slices become steps
                }
                ps.setLong(1, s.stepNumber());
                ps.setLong(2, stepNameId.get(host));
                ps.setLong(3, stepStart.get(host) - origin);
                ps.setLong(4, stepEnd.get(host) - stepStart.get(host));
                ps.setLong(5, s.startNs() - origin);
                ps.setLong(6, s.endNs() - origin);
                ps.setLong(7, s.kernelNs());
                ps.setLong(8, s.memcpyNs());
                ps.setLong(9, s.memsetNs());
                ps.setLong(10, s.communicationNs());
                ps.setLong(11, s.runtimeNs());
                ps.setLong(12, s.dataLoaderNs());
                ps.setLong(13, s.cpuExecNs());
                ps.setLong(14, s.otherNs());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeGpus(Connection db, Launches launches) throws SQLException {
        if (gpuStart.isEmpty()) {
            return;
        }
        Map<Integer, HtaTemporalBreakdown> hta = new TreeMap<>();
        Map<Integer, TraceLensGpuTimeline> traceLens = new TreeMap<>();
        for (int i = 0; i < gpuStart.size(); i++) {
            long key = gpuKey.get(i);
            int device = (int) (key >>> 40);
            Category cat = Category.byId((int) (key >>> 32) & 0xff);
            String name = nameOf.apply((int) key);
            int launch = launches.find(gpuCorrelation.get(i), false);
            HtaTemporalBreakdown.KernelType type = cat == Category.KERNEL
                    ? HtaTemporalBreakdown.KernelType.classify(name) : HtaTemporalBreakdown.KernelType.MEMORY;
            hta.computeIfAbsent(device, d -> new HtaTemporalBreakdown()).add(type, gpuStart.get(i), gpuEnd.get(i),
                    launch < 0 ? HtaTemporalBreakdown.UNMATCHED : launchStart.get(launch));
            traceLens.computeIfAbsent(device, d -> new TraceLensGpuTimeline()).add(
                    TraceLensGpuTimeline.Kind.classify(cat == Category.MEMCPY, name), gpuStart.get(i), gpuEnd.get(i),
                    launch >= 0);
        }
        OptionalLong cutoff = stepNames.size() >= 2 ? OptionalLong.of(lastStepStart) : OptionalLong.empty();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO summary_gpu(device, method, window_start_ns,"
                + " window_end_ns, busy_ns, idle_ns, compute_ns, non_compute_ns, exposed_comm_ns, exposed_memcpy_ns)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Integer, TraceLensGpuTimeline> e : traceLens.entrySet()) {
                // TraceLens counts launch-linked GPU events; a GPU-only trace falls back to all of them
                Optional<TraceLensGpuTimeline.Result> linked = e.getValue().compute(false, true);
                Optional<TraceLensGpuTimeline.Result> r = linked.isPresent() ? linked : e.getValue().compute(true, true);
                if (r.isPresent()) {
                    TraceLensGpuTimeline.Result t = r.get();
                    row(ps, e.getKey(), "tracelens", t.windowStartNs(), t.windowEndNs(), t.busyNs(), t.idleNs(),
                            t.computationNs(), t.busyNs() - t.computationNs(), t.exposedCommNs(), t.exposedMemcpyNs());
                }
            }
            if (!stepStart.isEmpty()) {
                for (Map.Entry<Integer, HtaTemporalBreakdown> e : hta.entrySet()) {
                    Optional<HtaTemporalBreakdown.Result> r = e.getValue().compute(cutoff, true);
                    if (r.isPresent()) {
                        HtaTemporalBreakdown.Result h = r.get();
                        row(ps, e.getKey(), "hta", h.windowStartNs(), h.windowEndNs(),
                                h.kernelTimeNs() - h.idleNs(), h.idleNs(), h.computeNs(), h.nonComputeNs(), 0, 0);
                    }
                }
            }
            ps.executeBatch();
        }
    }

    /** HTA's idle time breakdown per GPU stream track (host wait, kernel wait, other). */
    private void writeGpuIdle(Connection db, Launches launches) throws SQLException {
        Map<Long, HtaIdleBreakdown> perTrack = new TreeMap<>();
        for (int i = 0; i < gpuStart.size(); i++) {
            int launch = launches.find(gpuCorrelation.get(i), false);
            perTrack.computeIfAbsent(gpuTrack.get(i), t -> new HtaIdleBreakdown()).add(gpuStart.get(i), gpuEnd.get(i),
                    launch < 0 ? HtaIdleBreakdown.UNMATCHED : launchStart.get(launch));
        }
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO summary_gpu_idle(track_id, cause, idle_ns, intervals) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<Long, HtaIdleBreakdown> e : perTrack.entrySet()) {
                Optional<HtaIdleBreakdown.Result> r = e.getValue().compute(HtaIdleBreakdown.CONSECUTIVE_KERNEL_DELAY_NS);
                if (r.isEmpty()) {
                    continue;
                }
                HtaIdleBreakdown.Result b = r.get();
                idleRow(ps, e.getKey(), "host_wait", b.hostWaitNs(), b.hostWaitIntervals());
                idleRow(ps, e.getKey(), "kernel_wait", b.kernelWaitNs(), b.kernelWaitIntervals());
                idleRow(ps, e.getKey(), "other", b.otherNs(), b.otherIntervals());
            }
            ps.executeBatch();
        }
    }

    private static void idleRow(PreparedStatement ps, long track, String cause, long idleNs, int intervals)
            throws SQLException {
        ps.setLong(1, track);
        ps.setString(2, cause);
        ps.setLong(3, idleNs);
        ps.setInt(4, intervals);
        ps.addBatch();
    }

    private void row(PreparedStatement ps, int device, String method, long ws, long we, long busy, long idle,
                            long compute, long nonCompute, long comm, long memcpy) throws SQLException {
        ps.setInt(1, device);
        ps.setString(2, method);
        ps.setLong(3, ws - origin);
        ps.setLong(4, we - origin);
        ps.setLong(5, busy);
        ps.setLong(6, idle);
        ps.setLong(7, compute);
        ps.setLong(8, nonCompute);
        ps.setLong(9, comm);
        ps.setLong(10, memcpy);
        ps.addBatch();
    }

    private void writeLatency(Connection db) throws SQLException {
        try (PreparedStatement row = db.prepareStatement("INSERT INTO summary_latency(name_id, count, p50_ns, p90_ns,"
                + " p99_ns, p999_ns, max_ns) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement bucket = db.prepareStatement(
                     "INSERT INTO summary_latency_bucket(name_id, upper_ns, count) VALUES (?, ?, ?)")) {
            for (Map.Entry<Integer, LongList> e : requestDurations.entrySet()) {
                long[] d = e.getValue().toArray();
                Arrays.sort(d);
                row.setInt(1, e.getKey());
                row.setLong(2, d.length);
                row.setLong(3, Percentiles.nearestRank(d, 50));
                row.setLong(4, Percentiles.nearestRank(d, 90));
                row.setLong(5, Percentiles.nearestRank(d, 99));
                row.setLong(6, Percentiles.nearestRank(d, 99.9));
                row.setLong(7, d[d.length - 1]);
                row.addBatch();
                // log2 buckets: upper bound 2^k ns holds durations in (2^(k-1), 2^k]
                Map<Long, Long> counts = new TreeMap<>();
                for (long v : d) {
                    long upper = v <= 1 ? 1 : Long.highestOneBit(v - 1) << 1;
                    counts.merge(upper, 1L, Long::sum);
                }
                for (Map.Entry<Long, Long> c : counts.entrySet()) {
                    bucket.setInt(1, e.getKey());
                    bucket.setLong(2, c.getKey());
                    bucket.setLong(3, c.getValue());
                    bucket.addBatch();
                }
            }
            row.executeBatch();
            bucket.executeBatch();
        }
    }
}
