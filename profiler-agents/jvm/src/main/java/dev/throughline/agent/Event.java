package dev.throughline.agent;

import java.io.IOException;

/**
 * What the agent's sources hand the {@link Sender}: plain values, encoded (strings interned) on the sender thread so
 * that a host thread only allocates one small object and never touches the socket.
 */
abstract class Event {
    abstract void writeTo(Encoder e) throws IOException;

    /** One interval (SLICE); args are key/value pairs, values {@link Long} or {@link String}. */
    static final class Slice extends Event {
        final int category;
        final long tid;
        final long startNs;
        final long durNs;
        final String name;
        final Object[] args;
        /** The CUDA correlation id linking a launch call to its GPU work; -1 for none. */
        long correlation = -1;

        Slice(int category, long tid, long startNs, long durNs, String name, Object... args) {
            this.category = category;
            this.tid = tid;
            this.startNs = startNs;
            this.durNs = durNs;
            this.name = name;
            this.args = args;
        }

        Slice withCorrelation(long id) {
            this.correlation = id;
            return this;
        }

        @Override
        void writeTo(Encoder e) throws IOException {
            e.slice(this);
        }
    }

    static final class Counter extends Event {
        final String name;
        final long tsNs;
        final double value;

        Counter(String name, long tsNs, double value) {
            this.name = name;
            this.tsNs = tsNs;
            this.value = value;
        }

        @Override
        void writeTo(Encoder e) throws IOException {
            e.counter(this);
        }
    }

    /** Stack samples aggregated over an interval: frames root first, {@code weight} samples, at the interval's end. */
    static final class Sample extends Event {
        final long tid;
        final long tsNs;
        final int weight;
        final String[] frames;

        Sample(long tid, long tsNs, int weight, String[] frames) {
            this.tid = tid;
            this.tsNs = tsNs;
            this.weight = weight;
            this.frames = frames;
        }

        @Override
        void writeTo(Encoder e) throws IOException {
            e.sample(this);
        }
    }

    static final class ThreadName extends Event {
        final long tid;
        final String name;

        ThreadName(long tid, String name) {
            this.tid = tid;
            this.name = name;
        }

        @Override
        void writeTo(Encoder e) throws IOException {
            e.thread(tid, name);
        }
    }

    static final class Meta extends Event {
        final String key;
        final String value;

        Meta(String key, String value) {
            this.key = key;
            this.value = value;
        }

        @Override
        void writeTo(Encoder e) throws IOException {
            e.meta(key, value);
        }
    }
}
