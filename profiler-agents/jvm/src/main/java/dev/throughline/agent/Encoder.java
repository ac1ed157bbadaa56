package dev.throughline.agent;

import dev.throughline.protocol.ByeFrame;
import dev.throughline.protocol.CounterFrame;
import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.LossFrame;
import dev.throughline.protocol.MetaFrame;
import dev.throughline.protocol.SampleFrame;
import dev.throughline.protocol.SliceFrame;
import dev.throughline.protocol.ThreadFrame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Events to frames on one connection (the sender thread only): strings interned, each thread named once. */
final class Encoder {
    private final FrameWriter out;
    private final Map<Long, String> threadNames = new HashMap<>();
    /** The string ids of the API slices' two arg keys on this connection, interned on first use (0: not yet). */
    private int requestIdKey;
    private int batchSizeKey;

    Encoder(FrameWriter out) {
        this.out = out;
    }

    void slice(Event.Slice s) throws IOException {
        List<SliceFrame.Arg> args = new ArrayList<>(s.args.length / 2);
        for (int i = 0; i + 1 < s.args.length; i += 2) {
            int key = out.intern((String) s.args[i]);
            Object v = s.args[i + 1];
            args.add(v instanceof Long ? SliceFrame.Arg.ofLong(key, (Long) v)
                    : SliceFrame.Arg.ofString(key, out.intern(String.valueOf(v))));
        }
        out.write(new SliceFrame(s.category, s.tid, s.startNs, s.durNs, out.intern(s.name), s.correlation, args));
    }

    /** An API interval: {@code args} 0, 1 ({@code request_id}) or 2 ({@code request_id}, {@code batch_size}). */
    void apiSlice(int category, long tid, long startNs, long durNs, String name, int args, long requestId, long batchSize)
            throws IOException {
        int nameId = out.intern(name);
        if (args > 0 && requestIdKey == 0) {
            requestIdKey = out.intern("request_id");
        }
        if (args > 1 && batchSizeKey == 0) {
            batchSizeKey = out.intern("batch_size");
        }
        out.writeSlice(category, tid, startNs, durNs, nameId, -1, args, requestIdKey, requestId, batchSizeKey, batchSize);
    }

    void counter(Event.Counter c) throws IOException {
        out.write(new CounterFrame(out.intern(c.name), c.tsNs, c.value));
    }

    void sample(Event.Sample s) throws IOException {
        List<SampleFrame.Location> frames = new ArrayList<>(s.frames.length);
        for (String f : s.frames) {
            frames.add(new SampleFrame.Location(out.intern(f), 0, 0));
        }
        out.write(new SampleFrame(s.tid, s.tsNs, s.weight, frames));
    }

    void thread(long tid, String name) throws IOException {
        if (name.equals(threadNames.put(tid, name))) {
            return;
        }
        out.write(new ThreadFrame(tid, out.intern(name)));
    }

    void meta(String key, String value) throws IOException {
        out.write(new MetaFrame(out.intern(key), out.intern(value)));
    }

    void loss(String kind, long cumulative) throws IOException {
        out.write(new LossFrame(out.intern(kind), cumulative));
    }

    void bye() throws IOException {
        out.write(ByeFrame.INSTANCE);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Frames written so far (the sender backs off while this does not move). */
    long framesWritten() {
        return out.framesWritten();
    }
}
