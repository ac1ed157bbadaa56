package dev.throughline.storage.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The step-time breakdown of the PyTorch TensorBoard profiler plugin ({@code torch_tb_profiler},
 * pytorch/kineto {@code tb_plugin}) "Overview" page, reimplemented on primitive arrays.
 *
 * <p>Feed it, in any order: the host {@code ProfilerStep#N} slices ({@link #addStep}), every GPU
 * activity with the host runtime call that launched it ({@link #addDeviceEvent}), and the host
 * intervals of the other roles ({@link #addHostInterval}); then call {@link #compute()}. The rules,
 * each cited to the plugin function it follows:
 *
 * <ol>
 * <li>Role ranges are collected over the whole capture, not per step, and merged per role
 *     ({@code event_parser.StepParser._parse_step} then {@code parse_steps}: {@code merge_ranges}).</li>
 * <li>Steps are moved onto the device timeline ({@code StepParser._find_device_steps} and
 *     {@code _update_steps_duration}): a step ends at the later of its host end and the end of the last
 *     GPU activity launched by a runtime call lying wholly inside its host range; it starts at the later
 *     of its host start and the previous step's (adjusted) end. The first step starts at the later of
 *     its host start and the end of any GPU activity that was not attributed to a step and ended before
 *     the first attributed GPU activity. A step without attributed GPU activity ends at
 *     {@code max(host end, start)}; an end before the start is clamped to the start. When no GPU activity
 *     is attributed to any step, the host ranges are used unchanged.</li>
 * <li>Trailing steps are dropped ({@code _update_steps_duration}, "remove tail steps"): after the last step
 *     with attributed GPU activity; and that step too when it has fewer than 0.8 times the GPU activities
 *     of the step before it (profiler likely stopped before its kernels were captured).</li>
 * <li>Priority Kernel &gt; Memcpy &gt; Memset &gt; Communication &gt; Runtime &gt; DataLoader &gt; CPU Exec &gt; Other
 *     ({@code ProfileRole} order) by range subtraction over the union of the steps
 *     ({@code overall_parser.OverallParser.Statistics.create_from_range}); Other is what no role covers.
 *     Each step's figures are the lengths of those ranges inside the step
 *     ({@code Statistics.intersection_with_step}, {@code Costs.create_from_statistics}).</li>
 * </ol>
 *
 * <p>See docs/analysis.md for which trace events belong to which role and where we deviate.
 * Not thread-safe; one instance per capture.
 */
public final class StepBreakdownCalculator {

    /** The plugin's {@code ProfileRole}s that carry time, in priority order (Other is what is left). */
    public enum Role {
        KERNEL, MEMCPY, MEMSET, COMMUNICATION, RUNTIME, DATALOADER, CPU_OP
    }

    /** {@code launchStartNs} value of a GPU activity whose launching runtime call is not in the capture. */
    public static final long UNMATCHED = -1L;

    private static final Role[] ROLES = Role.values();

    private final Longs stepNumber = new Longs();
    private final Longs stepStart = new Longs();
    private final Longs stepEnd = new Longs();

    private final Longs devStart = new Longs();
    private final Longs devEnd = new Longs();
    private final Longs devLaunchStart = new Longs();
    private final Longs devLaunchEnd = new Longs();

    private final IntervalSet.Builder[] roleRanges = new IntervalSet.Builder[ROLES.length];

    private long hostSpanStart = Long.MAX_VALUE;
    private long hostSpanEnd = Long.MIN_VALUE;
    private boolean hostSpanSet;
    private long hostMin = Long.MAX_VALUE;
    private long hostMax = Long.MIN_VALUE;

    public StepBreakdownCalculator() {
        for (int i = 0; i < roleRanges.length; i++) {
            roleRanges[i] = new IntervalSet.Builder();
        }
    }

    /** True for the host ops the plugin counts as DataLoader ({@code StepParser._parse_step}). */
    public static boolean isDataLoaderName(String name) {
        return (name.startsWith("enumerate(DataLoader)#") && name.endsWith(".__next__"))
                || name.startsWith("enumerate(DataPipe)#");
    }

    /**
     * True for the host collective ops whose time, and whose kernels' time, the plugin counts as
     * Communication ({@code trace.NcclOpNameSet} and {@code GlooOpNameSet}: exact names).
     */
    public static boolean isCommunicationOpName(String name) {
        switch (name) {
            case "nccl:broadcast", "nccl:reduce", "nccl:all_reduce", "nccl:all_gather", "nccl:reduce_scatter",
                    "gloo:broadcast", "gloo:reduce", "gloo:all_reduce", "gloo:all_gather", "gloo:reduce_scatter":
                return true;
            default:
                return false;
        }
    }

    /**
     * A host {@code ProfilerStep#N} slice. Steps may be added in any order; they are processed by start
     * time. A host end before the start is treated as the start.
     */
    public void addStep(long number, long startNs, long endNs) {
        stepNumber.add(number);
        stepStart.add(startNs);
        stepEnd.add(Math.max(startNs, endNs));
    }

    /**
     * A GPU activity (kernel, memcpy or memset) on any device.
     *
     * @param role {@link Role#KERNEL}, {@link Role#MEMCPY}, {@link Role#MEMSET}, or {@link Role#COMMUNICATION}
     *     for a kernel launched under a host nccl:/gloo: collective op (same External id)
     * @param launchStartNs start of the host runtime call with the same correlation id, or {@link #UNMATCHED}
     * @param launchEndNs end of that runtime call (ignored when unmatched)
     */
    public void addDeviceEvent(Role role, long startNs, long endNs, long launchStartNs, long launchEndNs) {
        if (role != Role.KERNEL && role != Role.MEMCPY && role != Role.MEMSET && role != Role.COMMUNICATION) {
            throw new IllegalArgumentException("not a device role: " + role);
        }
        roleRanges[role.ordinal()].add(startNs, endNs);
        devStart.add(startNs);
        devEnd.add(endNs);
        devLaunchStart.add(launchStartNs);
        devLaunchEnd.add(launchEndNs);
    }

    /**
     * A host interval of a role: {@link Role#RUNTIME} (every runtime API call), {@link Role#DATALOADER},
     * {@link Role#CPU_OP} (CPU Exec) or {@link Role#COMMUNICATION} (a host nccl:/gloo: collective op).
     */
    public void addHostInterval(Role role, long startNs, long endNs) {
        if (role == Role.KERNEL || role == Role.MEMCPY || role == Role.MEMSET) {
            throw new IllegalArgumentException("not a host role: " + role);
        }
        roleRanges[role.ordinal()].add(startNs, endNs);
        if (role != Role.RUNTIME) {
            hostMin = Math.min(hostMin, startNs);
            hostMax = Math.max(hostMax, endNs);
        }
    }

    /**
     * The span used as the single step "0" when no {@code ProfilerStep} slice was added: the plugin uses
     * the first start to the last end of host operator/python events ({@code StepParser.cpu_min_ts},
     * {@code cpu_max_ts}). Without this call the span of the DataLoader, CPU Exec and host Communication
     * intervals is used.
     */
    public void setHostSpan(long startNs, long endNs) {
        hostSpanStart = startNs;
        hostSpanEnd = endNs;
        hostSpanSet = true;
    }

    /** The breakdown of each kept step, in time order. Empty when there is neither a step nor a host span. */
    public List<StepBreakdown> compute() {
        int nSteps = stepStart.size;
        long[] number;
        long[] start;
        long[] end;
        if (nSteps == 0) {
            long s = hostSpanSet ? hostSpanStart : hostMin;
            long e = hostSpanSet ? hostSpanEnd : hostMax;
            if (s > e) {
                return List.of();
            }
            nSteps = 1;
            number = new long[] {0};
            start = new long[] {s};
            end = new long[] {e};
        } else {
            int[] order = IndexSort.order(stepStart.values, null, nSteps);
            number = new long[nSteps];
            start = new long[nSteps];
            end = new long[nSteps];
            for (int i = 0; i < nSteps; i++) {
                number[i] = stepNumber.values[order[i]];
                start[i] = stepStart.values[order[i]];
                end[i] = stepEnd.values[order[i]];
            }
        }

        nSteps = moveStepsToDevice(start, end, nSteps);

        // OverallParser.Statistics.create_from_range: priority subtraction over the union of the steps.
        IntervalSet slots = IntervalSet.union(start, end, nSteps);
        IntervalSet[] cost = new IntervalSet[ROLES.length + 1];
        for (int r = 0; r < ROLES.length; r++) {
            cost[r] = slots.intersect(roleRanges[r].build());
            slots = slots.subtract(cost[r]);
        }
        cost[ROLES.length] = slots; // Other

        List<StepBreakdown> out = new ArrayList<>(nSteps);
        for (int i = 0; i < nSteps; i++) {
            long s = start[i];
            long e = end[i];
            out.add(new StepBreakdown(number[i], s, e,
                    cost[Role.KERNEL.ordinal()].lengthWithin(s, e),
                    cost[Role.MEMCPY.ordinal()].lengthWithin(s, e),
                    cost[Role.MEMSET.ordinal()].lengthWithin(s, e),
                    cost[Role.COMMUNICATION.ordinal()].lengthWithin(s, e),
                    cost[Role.RUNTIME.ordinal()].lengthWithin(s, e),
                    cost[Role.DATALOADER.ordinal()].lengthWithin(s, e),
                    cost[Role.CPU_OP.ordinal()].lengthWithin(s, e),
                    cost[ROLES.length].lengthWithin(s, e)));
        }
        return out;
    }

    /**
     * {@code StepParser._find_device_steps} + {@code _update_steps_duration}: rewrites {@code start}/{@code end}
     * in place and returns how many steps are kept.
     */
    private int moveStepsToDevice(long[] start, long[] end, int nSteps) {
        int nDev = devStart.size;
        long[] ls = devLaunchStart.values;
        long[] le = devLaunchEnd.values;
        long[] ds = devStart.values;
        long[] de = devEnd.values;

        // The plugin walks runtime calls sorted by start time, each with its GPU activities. A call with
        // several activities decides the same way for each of them, and calls without activities only
        // move the step cursor as far as the next call would, so walking the matched activities by their
        // launch start is the same walk.
        int nMatched = 0;
        for (int d = 0; d < nDev; d++) {
            if (ls[d] >= 0) {
                nMatched++;
            }
        }
        long[] keys = new long[nMatched];
        int[] idx = new int[nMatched];
        for (int d = 0, k = 0; d < nDev; d++) {
            if (ls[d] >= 0) {
                keys[k] = ls[d];
                idx[k] = d;
                k++;
            }
        }
        int[] order = IndexSort.order(keys, null, nMatched);

        long[] devMin = new long[nSteps];
        long[] devMax = new long[nSteps];
        Arrays.fill(devMin, Long.MAX_VALUE);
        Arrays.fill(devMax, Long.MIN_VALUE);
        int[] matchedCount = new int[nSteps];
        boolean[] matched = new boolean[nDev];
        boolean anyMatched = false;

        int iStep = 0;
        int iRt = 0;
        long curMin = Long.MAX_VALUE;
        long curMax = Long.MIN_VALUE;
        while (iStep < nSteps && iRt < nMatched) {
            int d = idx[order[iRt]];
            long hostStart = start[iStep];
            long hostEnd = end[iStep];
            if (ls[d] < hostStart) {
                iRt++; // launched before this step (or straddling its start): not attributed
            } else if (le[d] <= hostEnd) {
                curMin = Math.min(curMin, ds[d]);
                curMax = Math.max(curMax, de[d]);
                matched[d] = true;
                anyMatched = true;
                matchedCount[iStep]++;
                iRt++;
            } else if (ls[d] < hostEnd) {
                iRt++; // straddles the step end: not attributed
            } else {
                devMin[iStep] = curMin;
                devMax[iStep] = curMax;
                iStep++;
                curMin = Long.MAX_VALUE;
                curMax = Long.MIN_VALUE;
            }
        }
        while (iStep < nSteps) {
            devMin[iStep] = curMin;
            devMax[iStep] = curMax;
            curMin = Long.MAX_VALUE;
            curMax = Long.MIN_VALUE;
            iStep++;
        }

        if (!anyMatched) {
            return nSteps; // is_use_gpu is False: host ranges unchanged, no tail removal
        }

        long prevEnd = start[0];
        if (devMin[0] != Long.MAX_VALUE) {
            for (int d = 0; d < nDev; d++) {
                if (!matched[d] && de[d] < devMin[0]) {
                    prevEnd = Math.max(prevEnd, de[d]);
                }
            }
        }
        for (int i = 0; i < nSteps; i++) {
            long s = Math.max(prevEnd, start[i]);
            long e = end[i];
            if (devMin[i] == Long.MAX_VALUE) {
                e = Math.max(e, s);
            } else {
                e = Math.max(e, devMax[i]);
                if (e < s) {
                    e = s;
                }
            }
            start[i] = s;
            end[i] = e;
            prevEnd = e;
        }

        if (nSteps > 1) {
            int last = nSteps - 1;
            while (last >= 0 && matchedCount[last] == 0) {
                last--;
            }
            if (last >= 0) {
                int keep = last + 1;
                if (last > 0 && matchedCount[last - 1] * 0.8 > matchedCount[last]) {
                    keep = last;
                }
                return keep;
            }
        }
        return nSteps;
    }

    /** Mean of each column over the steps, as the plugin's "Average Step Time" card shows it (before rounding). */
    public static Average average(List<StepBreakdown> steps) {
        double n = steps.size();
        if (n == 0) {
            return new Average(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        double d = 0;
        double k = 0;
        double mc = 0;
        double ms = 0;
        double c = 0;
        double r = 0;
        double dl = 0;
        double cpu = 0;
        double o = 0;
        for (StepBreakdown s : steps) {
            d += s.durationNs();
            k += s.kernelNs();
            mc += s.memcpyNs();
            ms += s.memsetNs();
            c += s.communicationNs();
            r += s.runtimeNs();
            dl += s.dataLoaderNs();
            cpu += s.cpuExecNs();
            o += s.otherNs();
        }
        return new Average(steps.size(), d / n, k / n, mc / n, ms / n, c / n, r / n, dl / n, cpu / n, o / n);
    }

    /** Per-step means in nanoseconds ({@code OverallParser.avg_costs}: sum over kept steps / number of steps). */
    public record Average(int steps, double durationNs, double kernelNs, double memcpyNs, double memsetNs,
                          double communicationNs, double runtimeNs, double dataLoaderNs, double cpuExecNs,
                          double otherNs) {
    }

    /** Growable long array. */
    private static final class Longs {
        long[] values = new long[16];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size + (size >> 1) + 16);
            }
            values[size++] = v;
        }
    }
}
