package dev.throughline.gpu.check;

import dev.throughline.gpu.cupti.GpuActivity;
import dev.throughline.gpu.cupti.KernelActivity;
import dev.throughline.gpu.cupti.MemcpyActivity;
import dev.throughline.gpu.cupti.MemoryKinds;

import java.util.List;

/**
 * What CUPTI saw inside the sample's timed window, next to what the sample measured itself with CUDA
 * events. Kernels count when they start inside [windowStart, windowEnd] on the capture clock: with a
 * wrong clock offset none would, so this checks the offset too.
 */
public final class TraceVsEvents {
    public final int kernels;
    public final long kernelNs;
    public final int pinnedHtoD;
    public final int pageableHtoD;
    public final int pinnedDtoH;

    private TraceVsEvents(int kernels, long kernelNs, int pinnedHtoD, int pageableHtoD, int pinnedDtoH) {
        this.kernels = kernels;
        this.kernelNs = kernelNs;
        this.pinnedHtoD = pinnedHtoD;
        this.pageableHtoD = pageableHtoD;
        this.pinnedDtoH = pinnedDtoH;
    }

    public static TraceVsEvents of(List<GpuActivity> activities, long windowStartNs, long windowEndNs) {
        int kernels = 0;
        long kernelNs = 0;
        int pinnedHtoD = 0;
        int pageableHtoD = 0;
        int pinnedDtoH = 0;
        for (GpuActivity a : activities) {
            if (a.startNs < windowStartNs || a.startNs > windowEndNs) {
                continue;
            }
            if (a instanceof KernelActivity) {
                kernels++;
                kernelNs += a.durationNs();
            } else if (a instanceof MemcpyActivity) {
                MemcpyActivity m = (MemcpyActivity) a;
                String dir = MemoryKinds.copyKind(m.copyKind);
                String src = MemoryKinds.memoryKind(m.srcKind);
                String dst = MemoryKinds.memoryKind(m.dstKind);
                if (dir.equals("HtoD") && src.equals("pinned")) {
                    pinnedHtoD++;
                } else if (dir.equals("HtoD") && src.equals("pageable")) {
                    pageableHtoD++;
                } else if (dir.equals("DtoH") && dst.equals("pinned")) {
                    pinnedDtoH++;
                }
            }
        }
        return new TraceVsEvents(kernels, kernelNs, pinnedHtoD, pageableHtoD, pinnedDtoH);
    }

    /** Kernel time vs the events' time, as a signed fraction of the events' time. */
    public double kernelTimeError(double eventMs) {
        return (kernelNs / 1e6 - eventMs) / eventMs;
    }

    /** Kernels per SGEMM when the count is a whole multiple of the iterations, else -1. */
    public int kernelsPerIteration(int iterations) {
        return kernels > 0 && kernels % iterations == 0 ? kernels / iterations : -1;
    }
}
