package dev.throughline.app.report;

import dev.throughline.app.analysis.AgentNotes;
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

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code report} for people: findings first, then readable tables with units. */
public final class ReportText {
    private static final int NAME_WIDTH = 60;

    private ReportText() {
    }

    public static void write(Report report, PrintWriter out) {
        CaptureOverview o = report.overview();
        out.println("Throughline report: " + report.capture());
        for (String w : report.warnings()) {
            out.println("warning: " + w);
        }
        String source = o.meta().get("source");
        out.printf("span %s · %,d events · %,d lost%s%n", Units.duration(o.spanNs()),
                o.eventCounts().values().stream().mapToLong(Long::longValue).sum(), o.lostEvents(),
                source == null ? "" : " · from " + source);
        String nvml = o.meta().get("gpu.nvml");
        if (nvml != null) {
            out.println("GPU counters (NVML): " + nvml);
        }
        for (String cost : AgentNotes.costs(o.meta())) {
            out.println("Agent cost: " + cost);
        }
        for (String jfr : AgentNotes.jfrOff(o.meta())) {
            out.println("JFR: " + jfr);
        }
        out.println();

        out.println("FINDINGS");
        if (report.findings().isEmpty()) {
            out.println("  none: no rule fired (see docs/analysis.md for what each rule checks)");
        }
        for (Finding f : report.findings()) {
            out.printf("  %-8s %s%n", f.severity(), f.message());
            out.printf("           evidence: %s%n", f.evidence());
            if (f.whatIf() != null) {
                out.printf("           what-if: %s %s → %s (−%s)%n", f.whatIf().metric(),
                        Units.duration(f.whatIf().currentNs()), Units.duration(f.whatIf().predictedNs()),
                        Units.percent(f.whatIf().gain()));
            }
            out.printf("           → %s%n", f.recommendation());
        }
        out.println();

        out.println("EVENTS");
        for (Map.Entry<Category, Long> e : o.eventCounts().entrySet()) {
            out.printf("  %-12s %,12d  %12s%n", e.getKey().label, e.getValue(),
                    Units.duration(o.categoryTotalsNs().getOrDefault(e.getKey(), 0L)));
        }
        out.println();

        StepStats s = o.stepStats();
        if (s.count() > 0) {
            out.printf("STEPS  %d steps · mean %s · p50 %s · p95 %s · max %s (host ProfilerStep mean %s)%n",
                    s.count(), Units.duration(s.meanNs()), Units.duration(s.p50Ns()), Units.duration(s.p95Ns()),
                    Units.duration(s.maxNs()), Units.duration(s.hostMeanNs()));
            long[] parts = s.breakdown().parts();
            for (int i = 0; i < parts.length; i++) {
                out.printf("  %-12s %12s  %6s  %s%n", StepStats.PART_NAMES.get(i), Units.duration(parts[i]),
                        Units.percent(parts[i] / (double) s.meanNs()), bar(parts[i] / (double) s.meanNs()));
            }
            out.println();
        }

        if (!o.gpus().isEmpty()) {
            out.println("GPUS (TraceLens window; HTA steps window)");
            for (GpuRow g : o.gpus()) {
                out.printf("  GPU %d  busy %s · idle %s of %s (%s idle) · compute %s · non-compute %s%n",
                        g.device(), Units.duration(g.busyNs()), Units.duration(g.idleNs()),
                        Units.duration(g.totalNs()), Units.percent(g.totalNs() == 0 ? 0 : g.idleNs() / (double) g.totalNs()),
                        Units.duration(g.computeNs()), Units.duration(g.nonComputeNs()));
            }
            for (GpuRow g : o.gpusStepsWindow()) {
                out.printf("  GPU %d  steps window %s: compute %s · non-compute %s · idle %s%n", g.device(),
                        Units.duration(g.totalNs()), Units.duration(g.computeNs()), Units.duration(g.nonComputeNs()),
                        Units.duration(g.idleNs()));
            }
            for (GpuRow g : o.gpus()) {
                GpuIdleRow c = o.gpuIdleOf(g.device());
                if (c != null) {
                    out.printf("  GPU %d  gaps between events (HTA, per stream): host wait %s (%d) · kernel-to-kernel %s (%d)"
                                    + " · other %s (%d)%n", g.device(), Units.duration(c.hostWaitNs()), c.hostWaitGaps(),
                            Units.duration(c.kernelWaitNs()), c.kernelWaitGaps(), Units.duration(c.otherNs()), c.otherGaps());
                }
            }
            out.println();
        }

        table(out, "TOP KERNELS", o.topKernels(), o.kernelTotalNs());
        table(out, "TOP CPU OPS", o.topCpuOps(), o.categoryTotalsNs().getOrDefault(Category.CPU_OP, 0L));

        if (!o.latencies().isEmpty()) {
            out.println("REQUESTS");
            for (LatencyRow l : o.latencies()) {
                out.printf("  %-30s %,8d  %s%n", l.name(), l.count(), percentiles(l));
                o.requestTails().stream().filter(t -> t.name().equals(l.name())).findFirst()
                        .ifPresent(t -> tail(out, t));
            }
            out.println();
        }

        CpuSamples cpu = o.cpuSamples();
        if (cpu.total() > 0) {
            out.printf("CPU SAMPLES (self time, %s, %,d samples)%n",
                    cpu.requestPath() ? "request-path threads" : "all threads", cpu.total());
            for (FrameSamples f : cpu.frames().subList(0, Math.min(CaptureOverview.TOP, cpu.frames().size()))) {
                out.printf("  %-" + NAME_WIDTH + "s %,8d %7s%n", shorten(f.frame()), f.samples(),
                        Units.percent(cpu.share(f)));
            }
            out.println();
        }

        if (!o.loss().isEmpty()) {
            out.println("LOST (counted, not in the capture)");
            for (LossRow l : o.loss()) {
                out.printf("  %-16s %-40s %,10d%n", l.source(), l.kind(), l.count());
            }
            out.println();
        }
        out.flush();
    }

    /** {@code p50 … · p90 … · p99 … · p99.9 … · max …} of one request name (the report's and the overview's line). */
    public static String percentiles(LatencyRow l) {
        return String.format("p50 %s · p90 %s · p99 %s · p99.9 %s · max %s", Units.duration(l.p50Ns()),
                Units.duration(l.p90Ns()), Units.duration(l.p99Ns()), Units.duration(l.p999Ns()), Units.duration(l.maxNs()));
    }

    /** Where the slowest 1 % spend their time: one line of phase shares, GC overlap apart (it overlaps phases). */
    private static void tail(PrintWriter out, RequestTail t) {
        out.printf("    tail ≥ p99: %,d requests, mean %s: %s; GC pauses overlap %s%n", t.tailCount(),
                Units.duration(t.tailMeanNs()), t.tailPhaseShares(), Units.percent(t.tailGcShare()));
    }

    private static void table(PrintWriter out, String title, List<NameTotal> rows, long total) {
        if (rows.isEmpty()) {
            return;
        }
        out.println(title);
        out.printf("  %-" + NAME_WIDTH + "s %8s %12s %12s %7s%n", "name", "count", "total", "mean", "share");
        for (NameTotal t : rows) {
            out.printf("  %-" + NAME_WIDTH + "s %,8d %12s %12s %7s%n", shorten(t.name()), t.count(),
                    Units.duration(t.totalNs()), Units.duration(t.meanNs()),
                    Units.percent(total == 0 ? 0 : t.totalNs() / (double) total));
        }
        out.println();
    }

    private static String shorten(String name) {
        return name.length() <= NAME_WIDTH ? name : name.substring(0, NAME_WIDTH - 1) + "…";
    }

    private static String bar(double fraction) {
        int n = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 30);
        return "█".repeat(n);
    }
}
