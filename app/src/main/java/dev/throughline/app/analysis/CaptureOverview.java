package dev.throughline.app.analysis;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.DurationBucket;
import dev.throughline.storage.model.GpuIdleRow;
import dev.throughline.storage.model.GpuRow;
import dev.throughline.storage.model.LatencyRow;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.NameTotal;
import dev.throughline.storage.model.StepRow;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Everything the report and the rules read, loaded once from a capture's summary tables, so it costs the
 * same on a 10-event and a 10M-event capture; except on captures with requests, where the request tails
 * need one scan of the slice table ({@link RequestTails}), and the CPU samples grouped by leaf frame.
 */
public record CaptureOverview(Map<String, String> meta, long spanNs, Map<Category, Long> eventCounts,
                              Map<Category, Long> categoryTotalsNs, long kernelCount, long kernelTotalNs,
                              List<NameTotal> topKernels, List<NameTotal> topCpuOps, List<StepRow> steps,
                              StepStats stepStats, List<GpuRow> gpus, List<GpuRow> gpusStepsWindow,
                              List<LatencyRow> latencies, List<LossRow> loss, List<DurationBucket> kernelDurations,
                              List<NameTotal> cudaApiCalls, List<NameTotal> memcpys, int dataLoaderWorkers,
                              List<GpuIdleRow> gpuIdle, List<RequestTail> requestTails, CpuSamples cpuSamples) {
    public static final int TOP = 10;
    /** Enough for every distinct launch/sync/copy name a real trace has; rules match on names. */
    private static final int ALL_NAMES = 10_000;

    public static CaptureOverview load(CaptureReader reader) throws SQLException {
        Map<Category, Long> counts = reader.categoryCounts();
        Map<Category, Long> totals = reader.categoryTotals();
        List<StepRow> steps = reader.steps();
        // the one read beyond the summaries: request tails need the slices themselves, so only when there are
        // requests; samples too, as only the JVM agent's are CPU samples (the Python agent's are wall-clock
        // stacks, where a frame that sleeps would look hot)
        boolean service = counts.getOrDefault(Category.REQUEST, 0L) > 0;
        RequestTails tails = service ? RequestTails.load(reader) : RequestTails.NONE;
        CpuSamples cpu = service ? CpuSamples.load(reader, tails.pathThreads()) : CpuSamples.NONE;
        return new CaptureOverview(reader.meta(), reader.spanNs(), counts, totals,
                counts.getOrDefault(Category.KERNEL, 0L), totals.getOrDefault(Category.KERNEL, 0L),
                reader.topNames(Category.KERNEL, TOP), reader.topNames(Category.CPU_OP, TOP), steps,
                StepStats.of(steps), reader.gpus("tracelens"), reader.gpus("hta"), reader.latencies(),
                reader.loss(), reader.durationHistogram(Category.KERNEL), reader.topNames(Category.CUDA_API, ALL_NAMES),
                reader.topNames(Category.MEMCPY, ALL_NAMES),
                (int) reader.processes().stream().filter(p -> p.name() != null
                        && p.name().startsWith("DataLoader worker")).count(),
                reader.gpuIdle(), tails.byName(), cpu);
    }

    /** Total step time (the sum of all steps), or 0 without steps. */
    public long totalStepNs() {
        return steps.stream().mapToLong(StepRow::durNs).sum();
    }

    /** HTA's idle breakdown summed over one device's streams, or null when the capture has none for it. */
    public GpuIdleRow gpuIdleOf(int device) {
        GpuIdleRow sum = null;
        for (GpuIdleRow r : gpuIdle) {
            if (r.device() != device) {
                continue;
            }
            sum = sum == null ? new GpuIdleRow(device, -1, r.hostWaitNs(), r.kernelWaitNs(), r.otherNs(),
                    r.hostWaitGaps(), r.kernelWaitGaps(), r.otherGaps())
                    : new GpuIdleRow(device, -1, sum.hostWaitNs() + r.hostWaitNs(), sum.kernelWaitNs() + r.kernelWaitNs(),
                    sum.otherNs() + r.otherNs(), sum.hostWaitGaps() + r.hostWaitGaps(),
                    sum.kernelWaitGaps() + r.kernelWaitGaps(), sum.otherGaps() + r.otherGaps());
        }
        return sum;
    }

    /** Requests over every request name (0 without request slices). */
    public long requestCount() {
        return latencies.stream().mapToLong(LatencyRow::count).sum();
    }

    public long lostEvents() {
        return loss.stream().mapToLong(LossRow::count).sum();
    }
}
