package dev.throughline.app.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.CpuSamples;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.RequestTail;
import dev.throughline.app.analysis.StepStats;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.GpuIdleRow;
import dev.throughline.storage.model.FrameSamples;
import dev.throughline.storage.model.GpuRow;
import dev.throughline.storage.model.LatencyRow;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.NameTotal;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report --json}: the stable contract {@code throughline.report/1}, documented in
 * docs/report-json.md. Times are integer nanoseconds. Add fields; never rename or remove them.
 */
public final class ReportJson {
    public static final String SCHEMA = "throughline.report/1";

    private ReportJson() {
    }

    public static void write(Report report, Writer out) throws IOException {
        CaptureOverview o = report.overview();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("capture", report.capture().toString());
            g.writeNumberField("span_ns", o.spanNs());
            g.writeObjectFieldStart("events");
            for (Map.Entry<Category, Long> e : o.eventCounts().entrySet()) {
                g.writeNumberField(e.getKey().label, e.getValue());
            }
            g.writeEndObject();

            g.writeObjectFieldStart("kernels");
            g.writeNumberField("count", o.kernelCount());
            g.writeNumberField("total_ns", o.kernelTotalNs());
            writeTop(g, "top", o.topKernels());
            g.writeEndObject();

            g.writeObjectFieldStart("cpu_ops");
            g.writeNumberField("count", o.eventCounts().getOrDefault(Category.CPU_OP, 0L));
            g.writeNumberField("total_ns", o.categoryTotalsNs().getOrDefault(Category.CPU_OP, 0L));
            writeTop(g, "top", o.topCpuOps());
            g.writeEndObject();

            writeSteps(g, o.stepStats());
            writeGpus(g, o);
            writeLatency(g, o);
            writeCpuSamples(g, o.cpuSamples());
            writeFindings(g, report);

            g.writeObjectFieldStart("loss");
            Map<String, Map<String, Long>> loss = new TreeMap<>();
            for (LossRow l : o.loss()) {
                loss.computeIfAbsent(l.source(), k -> new TreeMap<>()).merge(l.kind(), l.count(), Long::sum);
            }
            for (Map.Entry<String, Map<String, Long>> e : loss.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                for (Map.Entry<String, Long> k : e.getValue().entrySet()) {
                    g.writeNumberField(k.getKey(), k.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();

            g.writeObjectFieldStart("gpu_probes");
            for (Map.Entry<String, String> e : new TreeMap<>(o.meta()).entrySet()) {
                if (e.getKey().startsWith("gpu.")) {
                    g.writeStringField(e.getKey().substring(4), e.getValue());
                }
            }
            g.writeEndObject();

            g.writeArrayFieldStart("warnings");
            for (String w : report.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void writeTop(JsonGenerator g, String field, Iterable<NameTotal> top) throws IOException {
        g.writeArrayFieldStart(field);
        for (NameTotal t : top) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeNumberField("count", t.count());
            g.writeNumberField("total_ns", t.totalNs());
            g.writeNumberField("mean_ns", t.meanNs());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeSteps(JsonGenerator g, StepStats s) throws IOException {
        g.writeObjectFieldStart("steps");
        g.writeNumberField("count", s.count());
        g.writeNumberField("mean_ns", s.meanNs());
        g.writeNumberField("p50_ns", s.p50Ns());
        g.writeNumberField("p95_ns", s.p95Ns());
        g.writeNumberField("max_ns", s.maxNs());
        g.writeNumberField("host_mean_ns", s.hostMeanNs());
        g.writeObjectFieldStart("breakdown_ns");
        long[] parts = s.breakdown().parts();
        for (int i = 0; i < parts.length; i++) {
            g.writeNumberField(StepStats.PART_NAMES.get(i), parts[i]);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeGpus(JsonGenerator g, CaptureOverview o) throws IOException {
        g.writeArrayFieldStart("gpus");
        for (GpuRow t : o.gpus()) {
            g.writeStartObject();
            g.writeNumberField("device", t.device());
            g.writeNumberField("busy_ns", t.busyNs());
            g.writeNumberField("idle_ns", t.idleNs());
            g.writeNumberField("total_ns", t.totalNs());
            g.writeNumberField("compute_ns", t.computeNs());
            g.writeNumberField("non_compute_ns", t.nonComputeNs());
            g.writeNumberField("exposed_comm_ns", t.exposedCommNs());
            g.writeNumberField("exposed_memcpy_ns", t.exposedMemcpyNs());
            GpuRow h = o.gpusStepsWindow().stream().filter(x -> x.device() == t.device()).findFirst().orElse(null);
            if (h != null) {
                g.writeObjectFieldStart("steps_window");
                g.writeNumberField("compute_ns", h.computeNs());
                g.writeNumberField("non_compute_ns", h.nonComputeNs());
                g.writeNumberField("idle_ns", h.idleNs());
                g.writeNumberField("total_ns", h.totalNs());
                g.writeEndObject();
            } else {
                g.writeNullField("steps_window");
            }
            GpuIdleRow c = o.gpuIdleOf(t.device());
            if (c != null) {
                g.writeObjectFieldStart("idle_breakdown");
                g.writeNumberField("host_wait_ns", c.hostWaitNs());
                g.writeNumberField("kernel_wait_ns", c.kernelWaitNs());
                g.writeNumberField("other_ns", c.otherNs());
                g.writeNumberField("host_wait_gaps", c.hostWaitGaps());
                g.writeNumberField("kernel_wait_gaps", c.kernelWaitGaps());
                g.writeNumberField("other_gaps", c.otherGaps());
                g.writeEndObject();
            } else {
                g.writeNullField("idle_breakdown");
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeLatency(JsonGenerator g, CaptureOverview o) throws IOException {
        g.writeArrayFieldStart("requests");
        for (LatencyRow l : o.latencies()) {
            g.writeStartObject();
            g.writeStringField("name", l.name());
            g.writeNumberField("count", l.count());
            g.writeNumberField("p50_ns", l.p50Ns());
            g.writeNumberField("p90_ns", l.p90Ns());
            g.writeNumberField("p99_ns", l.p99Ns());
            g.writeNumberField("p999_ns", l.p999Ns());
            g.writeNumberField("max_ns", l.maxNs());
            RequestTail t = o.requestTails().stream().filter(x -> x.name().equals(l.name())).findFirst().orElse(null);
            if (t == null) {
                g.writeNullField("tail");
            } else {
                writeTail(g, t);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeTail(JsonGenerator g, RequestTail t) throws IOException {
        g.writeObjectFieldStart("tail");
        g.writeNumberField("threshold_ns", t.p99Ns());
        g.writeNumberField("count", t.tailCount());
        g.writeNumberField("mean_ns", t.tailMeanNs());
        g.writeObjectFieldStart("phase_mean_ns");
        for (Map.Entry<String, Long> e : t.tailPhaseMeanNs().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("gc_overlap_mean_ns", t.tailGcOverlapMeanNs());
        g.writeEndObject();
        g.writeNumberField("mean_ns", t.meanNs());
        g.writeObjectFieldStart("phase_mean_ns");
        for (Map.Entry<String, Long> e : t.phaseMeanNs().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("median_queueing_ns", t.medianQueueingNs());
        g.writeNumberField("gc_pauses", t.gcPauses());
    }

    private static void writeCpuSamples(JsonGenerator g, CpuSamples c) throws IOException {
        g.writeObjectFieldStart("cpu_samples");
        g.writeStringField("scope", c.requestPath() ? "request_path" : "all_threads");
        g.writeNumberField("total", c.total());
        g.writeArrayFieldStart("top");
        for (FrameSamples f : c.frames().subList(0, Math.min(CaptureOverview.TOP, c.frames().size()))) {
            g.writeStartObject();
            g.writeStringField("frame", f.frame());
            g.writeNumberField("samples", f.samples());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeFindings(JsonGenerator g, Report report) throws IOException {
        g.writeArrayFieldStart("findings");
        for (Finding f : report.findings()) {
            g.writeStartObject();
            g.writeStringField("rule", f.rule());
            g.writeStringField("severity", f.severity().name());
            g.writeNumberField("score", f.score());
            g.writeStringField("message", f.message());
            g.writeStringField("recommendation", f.recommendation());
            g.writeStringField("evidence", f.evidence());
            if (f.whatIf() == null) {
                g.writeNullField("what_if");
            } else {
                g.writeObjectFieldStart("what_if");
                g.writeStringField("metric", f.whatIf().metric());
                g.writeNumberField("current_ns", f.whatIf().currentNs());
                g.writeNumberField("predicted_ns", f.whatIf().predictedNs());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
