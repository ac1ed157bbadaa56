package dev.throughline.gpu.check;

import dev.throughline.gpu.GpuProcessReadings;
import dev.throughline.gpu.GpuProcessSample;
import dev.throughline.gpu.GpuSample;
import dev.throughline.gpu.NvmlSampler;
import dev.throughline.gpu.cupti.CuptiTracer;
import dev.throughline.gpu.cupti.GpuActivity;
import dev.throughline.gpu.cupti.GpuActivitySink;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static dev.throughline.gpu.check.CheckTable.Verdict.FAIL;
import static dev.throughline.gpu.check.CheckTable.Verdict.PASS;
import static dev.throughline.gpu.check.CheckTable.Verdict.SKIP;
import static dev.throughline.gpu.check.CheckTable.Verdict.WARN;

/**
 * The GPU probes checked for real on a machine with a GPU, in one JVM: NVML sampled while the sample
 * workload keeps the GPU busy (utilization above 90 %, this process's memory and utilization seen),
 * then CUPTI tracing the sample's timed SGEMM loop (kernel count and total kernel time against the
 * CUDA events the sample timed itself with, within 2 %; the pinned and pageable copies seen as such).
 * Prints a Markdown results table; exit 0 all passed, 1 a check failed, 2 no GPU here.
 *
 * <p>The workload is any class with {@code static int run(String[], PrintStream, PrintStream)} taking
 * the sample's flags (samples/jvm-gpu's JvmGpuSample), found on the class path: the check does not
 * depend on the sample's module, as the agent will not depend on the programs it traces.
 */
public final class GpuCheck {
    private static final String DEFAULT_WORKLOAD = "dev.throughline.samples.jvmgpu.JvmGpuSample";

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        String workload = DEFAULT_WORKLOAD;
        String size = "8192"; // ~20 ms SGEMMs: the launch gap inside the event pair stays far below 2 %
        String iterations = "30";
        String busySeconds = "6";
        Path tableFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--workload": workload = args[i + 1]; break;
                case "--size": size = args[i + 1]; break;
                case "--iterations": iterations = args[i + 1]; break;
                case "--busy-seconds": busySeconds = args[i + 1]; break;
                case "--table": tableFile = Path.of(args[i + 1]); break;
                default:
                    out.println("usage: GpuCheck [--workload CLASS] [--size N] [--iterations N] [--busy-seconds S]"
                            + " [--table FILE.md]");
                    return 64;
            }
        }
        Method entry;
        try {
            entry = Class.forName(workload).getMethod("run", String[].class, PrintStream.class, PrintStream.class);
        } catch (ReflectiveOperationException e) {
            out.println("GpuCheck: no workload " + workload + " with static int run(String[], PrintStream, PrintStream)"
                    + " on the class path (" + e + ")");
            return 64;
        }
        CheckTable table = new CheckTable();
        long pid = ProcessHandle.current().pid();

        NvmlSampler.Opened nvml = NvmlSampler.open();
        table.row("NVML", nvml.status.isAvailable() ? PASS : FAIL, nvml.status.toString(), "available");
        List<GpuActivity> activities = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> dropped = new ConcurrentHashMap<>();
        CuptiTracer.Started cupti = CuptiTracer.start(new GpuActivitySink() {
            @Override
            public void activity(GpuActivity a) {
                activities.add(a);
            }

            @Override
            public void dropped(String kind, long count) {
                dropped.merge(kind, count, Long::sum);
            }
        });
        table.row("CUPTI", cupti.status.isAvailable() ? PASS : FAIL, cupti.status.toString(), "available");
        if (!nvml.status.isAvailable() && !cupti.status.isAvailable()) {
            out.print(table.markdown());
            write(tableFile, table);
            return 2;
        }

        // 1. busy GPU: NVML utilization and per-process readings
        Path busyReport = Files.createTempFile("gpucheck-busy", ".properties");
        NvmlPoller poller = nvml.sampler == null ? null : NvmlPoller.start(nvml.sampler, 100);
        int rc = (Integer) entry.invoke(null, new String[] {"--busy-seconds", busySeconds, "--size", size,
            "--report", busyReport.toString()}, out, out);
        if (poller != null) {
            poller.stop();
        }
        if (rc != 0) {
            table.row("workload (busy)", FAIL, "exit " + rc, "exit 0");
        } else if (poller != null) {
            Properties busy = load(busyReport);
            // skip the first second (clocks ramp, NVML's window still holds idle time) and the last half
            long from = Long.parseLong(busy.getProperty("busy_start_ns")) + 1_000_000_000L;
            long to = Long.parseLong(busy.getProperty("busy_end_ns")) - 500_000_000L;
            nvmlRows(table, poller, from, to, pid);
        }

        // 2. timed SGEMM loop under CUPTI
        Path timedReport = Files.createTempFile("gpucheck-timed", ".properties");
        rc = (Integer) entry.invoke(null, new String[] {"--iterations", iterations, "--size", size,
            "--report", timedReport.toString()}, out, out);
        if (cupti.tracer != null) {
            cupti.tracer.close();
        }
        if (nvml.sampler != null) {
            nvml.sampler.close();
        }
        if (rc != 0) {
            table.row("workload (timed)", FAIL, "exit " + rc, "exit 0");
        } else if (cupti.tracer != null) {
            cuptiRows(table, cupti.tracer.stats(), activities, dropped, load(timedReport));
        }
        out.print(table.markdown());
        write(tableFile, table);
        return table.failed() ? 1 : 0;
    }

    private static void nvmlRows(CheckTable table, NvmlPoller poller, long from, long to, long pid) {
        double sum = 0;
        int n = 0;
        int min = 101;
        for (GpuSample s : poller.samples()) {
            if (s.device == 0 && s.tsNs >= from && s.tsNs <= to && s.gpuUtilPercent >= 0) {
                sum += s.gpuUtilPercent;
                min = Math.min(min, s.gpuUtilPercent);
                n++;
            }
        }
        if (n == 0) {
            table.row("NVML utilization while busy", FAIL, "no readings in the busy window", "> 90 %");
        } else {
            double mean = sum / n;
            table.row("NVML utilization while busy", mean > 90 ? PASS : FAIL,
                    String.format("mean %.1f %%, min %d %% (%d readings)", mean, min, n), "> 90 %");
        }
        GpuProcessReadings last = poller.lastProcesses();
        if (last == null) {
            table.row("NVML per-process", FAIL, "no per-process reading", "readings");
            return;
        }
        long ownMemory = -1;
        int ownSm = -1;
        for (GpuProcessReadings r : poller.processReadings()) {
            for (GpuProcessSample s : r.forPid(pid)) {
                ownMemory = Math.max(ownMemory, s.usedMemoryBytes);
                ownSm = Math.max(ownSm, s.smUtilPercent);
            }
        }
        Map<Long, Long> seen = new TreeMap<>();
        for (GpuProcessSample s : last.samples) {
            seen.put(s.pid, s.usedMemoryBytes);
        }
        // inside a container NVML names processes by the host's pids: not ours, so a WARN, not a FAIL
        table.row("NVML per-process memory", !last.memory.isAvailable() ? WARN : ownMemory > 0 ? PASS : WARN,
                last.memory + "; this pid " + pid + ": " + (ownMemory > 0 ? ownMemory + " B" : "not listed")
                        + "; listed pid=bytes " + seen, "this process > 0 B");
        table.row("NVML per-process utilization", !last.utilization.isAvailable() ? WARN : ownSm > 0 ? PASS : WARN,
                last.utilization + "; this pid's max SM " + ownSm + " %", "this process > 0 %");
    }

    private static void cuptiRows(CheckTable table, CuptiTracer.Stats stats, List<GpuActivity> activities,
                                  Map<String, Long> dropped, Properties timed) {
        int iterations = Integer.parseInt(timed.getProperty("iterations"));
        double eventMs = Double.parseDouble(timed.getProperty("sgemm_event_ms_total"));
        List<GpuActivity> copy;
        synchronized (activities) {
            copy = new ArrayList<>(activities);
        }
        TraceVsEvents t = TraceVsEvents.of(copy, Long.parseLong(timed.getProperty("window_start_ns")),
                Long.parseLong(timed.getProperty("window_end_ns")));
        table.row("sample result", "ok".equals(timed.getProperty("check")) ? PASS : FAIL, timed.getProperty("check"),
                "ok");
        table.row("CUPTI record walk vs cuptiActivityGetNextRecord", stats.walkCheck.startsWith("ok") ? PASS : FAIL,
                stats.walkCheck, "same offsets");
        int perIteration = t.kernelsPerIteration(iterations);
        table.row("CUPTI kernels in the timed window", perIteration > 0 ? PASS : FAIL,
                t.kernels + " (" + (perIteration > 0 ? perIteration + " per SGEMM" : "not a multiple") + ")",
                "a whole multiple of " + iterations + " iterations");
        double err = t.kernelTimeError(eventMs);
        table.row("CUPTI kernel time vs CUDA events", Math.abs(err) <= 0.02 ? PASS : FAIL,
                String.format("%.3f ms vs %.3f ms (%+.2f %%)", t.kernelNs / 1e6, eventMs, err * 100), "within 2 %");
        boolean copiesExact = t.pinnedHtoD == 2 * iterations && t.pageableHtoD == iterations
                && t.pinnedDtoH == iterations;
        // more pageable records than calls would mean CUPTI reports the driver's staging chunks: say so, no FAIL
        boolean pageableSplit = t.pinnedHtoD == 2 * iterations && t.pinnedDtoH == iterations
                && t.pageableHtoD > iterations && t.pageableHtoD % iterations == 0;
        table.row("CUPTI copies (pinned HtoD, pageable HtoD, pinned DtoH)",
                copiesExact ? PASS : pageableSplit ? WARN : FAIL,
                t.pinnedHtoD + ", " + t.pageableHtoD + ", " + t.pinnedDtoH,
                (2 * iterations) + ", " + iterations + ", " + iterations);
        long lost = 0;
        for (long v : dropped.values()) {
            lost += v;
        }
        table.row("CUPTI loss", lost == 0 && stats.undecodableBuffers == 0 ? PASS : FAIL,
                lost == 0 ? "none" : dropped.toString(), "none");
        long drift = stats.clockAtStop == null ? 0 : stats.clockAtStop.offsetNs - stats.clockAtStart.offsetNs;
        table.row("CUPTI clock offset", stats.clockAtStop == null ? SKIP : Math.abs(drift) < 1_000_000 ? PASS : WARN,
                stats.clockAtStart + "; drift " + drift + " ns over the run", "drift < 1 ms");
        table.row("CUPTI totals", PASS, stats.toString(), "");
    }

    private static Properties load(Path p) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
        }
        Files.deleteIfExists(p);
        return props;
    }

    private static void write(Path file, CheckTable table) throws IOException {
        if (file != null) {
            Files.write(file, table.markdown().getBytes(StandardCharsets.UTF_8));
        }
    }
}
