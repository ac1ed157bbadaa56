package dev.throughline.gpu.cupti;

import org.bytedeco.javacpp.Loader;

import java.io.File;

/**
 * CuptiTracer's JavaCPP calls run for real against the toolkit's CUPTI, without a driver: in a JVM
 * started with -Dorg.bytedeco.javacpp.loadlibraries=false, libcupti.so.13 and the preset's
 * libjnicupti.so are loaded by hand (the cudart bindings, which need libcuda.so.1, never load). Then
 * start() runs cuptiGetVersion, cuptiGetTimestamp, cuptiActivityRegisterCallbacks and
 * cuptiActivityEnable, and close() the flush; prints the status and the stats, one per line.
 *
 * <p>Usage: CuptiTracerToolkitProbe LIBCUPTI
 */
public final class CuptiTracerToolkitProbe {
    public static void main(String[] args) throws Exception {
        System.load(args[0]);
        File jni = Loader.cacheResource("/org/bytedeco/cuda/" + Loader.getPlatform() + "/libjnicupti.so");
        System.load(jni.getAbsolutePath());
        // the clock part for real: cuptiGetTimestamp against System.nanoTime, and what the offset should be
        // if CUPTI's clock is the epoch (CLOCK_REALTIME), as on Linux
        long[] ts = new long[1];
        ClockOffset clock = ClockOffset.measure(() -> {
            org.bytedeco.cuda.global.cupti.cuptiGetTimestamp(ts);
            return ts[0];
        }, System::nanoTime, 200);
        long epochMinusMonotonic = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        System.out.println("clock " + clock.offsetNs + " " + clock.uncertaintyNs + " " + (-epochMinusMonotonic));
        CuptiTracer.Started started = CuptiTracer.start(new GpuActivitySink() {
            @Override
            public void activity(GpuActivity a) {
                System.out.println("activity " + a);
            }

            @Override
            public void dropped(String kind, long count) {
                System.out.println("dropped " + kind + " " + count);
            }
        });
        System.out.println("status " + started.status);
        if (started.tracer != null) {
            System.out.println("enabled " + started.tracer.enabledKinds());
            started.tracer.close();
            System.out.println("stats " + started.tracer.stats());
        }
    }
}
