package dev.throughline.agent;

import dev.throughline.gpu.cupti.CuptiTracer;
import dev.throughline.gpu.cupti.GpuActivity;
import dev.throughline.gpu.cupti.GpuActivitySink;
import dev.throughline.gpu.cupti.GpuActivitySlices;
import dev.throughline.gpu.cupti.GpuSlice;

import java.util.Map;

/**
 * CUPTI activity tracing (kernels, copies, memsets, syncs, runtime/driver calls) when the host uses CUDA through the
 * JavaCPP presets: the agent does not bring JavaCPP, it uses the presets on the host's class path, so there is one
 * copy of the CUDA natives in the process. What it decided goes to the capture as META {@code cupti}.
 *
 * <p>This class references gpu-probes and, through it, JavaCPP; {@link #start} is only called after
 * {@link #hostHasCudaPresets} said the classes are there, and every failure stops at this boundary.
 */
final class GpuTracing implements AutoCloseable {
    static final String PRESET_CLASS = "org.bytedeco.cuda.global.cupti";

    private final CuptiTracer tracer;

    private GpuTracing(CuptiTracer tracer) {
        this.tracer = tracer;
    }

    /** Whether the JavaCPP CUDA presets (with CUPTI) are on the host's class path, without initialising them. */
    static boolean hostHasCudaPresets() {
        try {
            Class.forName(PRESET_CLASS, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Starts tracing into {@code sender}, or returns null having said why not (META cupti). */
    static GpuTracing startOrSay(Sender sender) {
        if (!hostHasCudaPresets()) {
            sender.offer(new Event.Meta("cupti", "off: the program has no JavaCPP CUDA presets (" + PRESET_CLASS
                    + ") on its class path"));
            return null;
        }
        try {
            return Starter.start(sender);
        } catch (Throwable t) { // NoClassDefFoundError from a preset of another version, …: never the host's problem
            sender.offer(new Event.Meta("cupti", "unavailable: " + t));
            return null;
        }
    }

    /** Loaded only when the presets are there (its signatures name gpu-probes types that link to JavaCPP). */
    private static final class Starter {
        static GpuTracing start(Sender sender) {
            GpuActivitySlices slices = new GpuActivitySlices();
            CuptiTracer.Started started = CuptiTracer.start(new GpuActivitySink() {
                @Override
                public void activity(GpuActivity activity) { // on the tracer's decoding thread, never a CUDA thread
                    sender.offer(toEvent(slices.toSlice(activity)));
                }

                @Override
                public void dropped(String kind, long count) {
                    sender.lost(kind, count);
                }
            });
            sender.offer(new Event.Meta("cupti", started.status.toString()));
            return started.tracer == null ? null : new GpuTracing(started.tracer);
        }
    }

    static Event.Slice toEvent(GpuSlice s) {
        Object[] args = new Object[s.args.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : s.args.entrySet()) {
            args[i++] = e.getKey();
            args[i++] = e.getValue();
        }
        return new Event.Slice(s.category, s.tid, s.startNs, s.durNs, s.name, args).withCorrelation(s.correlation);
    }

    /** Flushes CUPTI's buffers into the sender and stops tracing. */
    @Override
    public void close() {
        tracer.close();
    }
}
