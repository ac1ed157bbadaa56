package dev.throughline.gpu.cupti;

import java.util.Collections;
import java.util.Map;

/**
 * One GPU activity as a protocol SLICE frame wants it: category id (PROTOCOL.md's Category ids), the
 * thread it belongs to (0 for GPU work: its integer {@code device} and {@code stream} args put it on a
 * GPU stream track), name, times on the capture clock, correlation (-1 none) and args whose values are
 * Long or String.
 */
public final class GpuSlice {
    public final int category;
    public final long tid;
    public final String name;
    public final long startNs;
    public final long durNs;
    public final long correlation;
    public final Map<String, Object> args;

    public GpuSlice(int category, long tid, String name, long startNs, long durNs, long correlation,
                    Map<String, Object> args) {
        this.category = category;
        this.tid = tid;
        this.name = name;
        this.startNs = startNs;
        this.durNs = durNs;
        this.correlation = correlation;
        this.args = Collections.unmodifiableMap(args);
    }

    @Override
    public String toString() {
        return "slice " + category + " tid=" + tid + " " + name + " @" + startNs + "+" + durNs + " corr=" + correlation
                + " " + args;
    }
}
