package dev.throughline.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connects the program's {@code dev.throughline.api.Throughline} (the API jar, in whatever class loader the program
 * put it) to the sender: installs a new {@code IntervalBuffer} of that loader, which the program's threads fill
 * without locks or allocation, and which the sender thread drains (through method handles, so the agent never needs
 * the API on its own class path). Intervals become SLICE frames with the API's category; a phase shared by several
 * requests becomes one slice per request ({@code request_id}, {@code batch_size}), so that per-request breakdowns stay
 * simple sums. Scanned again every few seconds for loaders that load the API later.
 */
final class ApiBridge implements Sender.Pull {
    static final String API_CLASS = "dev.throughline.api.Throughline";
    static final String LOSS_KIND = "api buffer full";
    private static final String BUFFER_CLASS = "dev.throughline.api.IntervalBuffer";
    /** Slots per program class loader: ~1.6 s of intervals at 10,000 a second, ~300,000 a second between two 50 ms drains. */
    static final int CAPACITY = 16_384;
    private static final int LONGS = 6;
    private static final int REFS = 2;
    private static final int BATCH = 256;
    private static final int PHASE = 3;

    private final Sender out;
    private final Set<Class<?>> installed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Buffer> buffers = new CopyOnWriteArrayList<>();
    // the sender thread's alone (pull)
    private final long[] longs = new long[BATCH * LONGS];
    private final Object[] refs = new Object[BATCH * REFS];

    private final int capacity;

    ApiBridge(Sender out) {
        this(out, CAPACITY);
    }

    ApiBridge(Sender out, int capacity) {
        this.out = out;
        this.capacity = capacity;
        out.addPull(this);
    }

    /** One installed buffer: its drain and drop count, bound to the instance. */
    private static final class Buffer {
        final MethodHandle drain;
        final MethodHandle dropped;
        long droppedSeen;

        Buffer(MethodHandle drain, MethodHandle dropped) {
            this.drain = drain;
            this.dropped = dropped;
        }
    }

    /** Installs into every API class found (loaded ones, then the system class loader's); returns how many. */
    int scan(Instrumentation inst) {
        List<Class<?>> found = new ArrayList<>();
        if (inst != null) {
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (c.getName().equals(API_CLASS)) {
                    found.add(c);
                }
            }
        }
        if (found.isEmpty() && installed.isEmpty()) {
            try {
                found.add(Class.forName(API_CLASS, true, ClassLoader.getSystemClassLoader()));
            } catch (ClassNotFoundException | LinkageError notThere) {
                // the program does not use the API (yet)
            }
        }
        for (Class<?> api : found) {
            if (!installed.contains(api)) {
                install(api);
            }
        }
        return buffers.size();
    }

    int installedCount() {
        return buffers.size();
    }

    private void install(Class<?> api) {
        installed.add(api); // tried once, whatever happens
        try {
            Class<?> type = Class.forName(BUFFER_CLASS, false, api.getClassLoader());
            if (type.getField("LONGS").getInt(null) != LONGS || type.getField("REFS").getInt(null) != REFS) {
                throw new IllegalStateException("its IntervalBuffer lays out intervals differently from this agent's");
            }
            Object buffer = type.getConstructor(int.class).newInstance(capacity);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle drain = lookup.findVirtual(type, "drain", MethodType.methodType(int.class, long[].class, Object[].class))
                    .bindTo(buffer);
            MethodHandle dropped = lookup.findVirtual(type, "dropped", MethodType.methodType(long.class)).bindTo(buffer);
            buffers.add(new Buffer(drain, dropped));
            api.getMethod("install", type).invoke(null, buffer);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("throughline agent: warning: cannot connect " + API_CLASS + " (" + api.getClassLoader()
                    + "): " + e + (e instanceof ClassNotFoundException ? " (an API jar older than this agent)" : ""));
        }
    }

    /** {@code install(null)} everywhere it was installed; the sender still drains what the buffers hold. */
    void uninstall() {
        for (Class<?> api : installed) {
            try {
                Class<?> type = Class.forName(BUFFER_CLASS, false, api.getClassLoader());
                api.getMethod("install", type).invoke(null, new Object[] {null});
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the program keeps our buffer; it fills up and counts drops, nothing more
            }
        }
        installed.clear();
    }

    /** On the sender thread: every finished interval to a SLICE, and what the buffers dropped to a LOSS count. */
    @Override
    public void pull(Encoder e) throws IOException {
        for (Buffer b : buffers) {
            try {
                int n;
                do {
                    n = (int) b.drain.invokeExact(longs, refs);
                    for (int i = 0; i < n; i++) {
                        encode(e, i);
                    }
                } while (n == BATCH);
                long d = (long) b.dropped.invokeExact();
                if (d > b.droppedSeen) {
                    out.lost(LOSS_KIND, d - b.droppedSeen);
                    b.droppedSeen = d;
                }
            } catch (IOException | RuntimeException | Error passOn) {
                throw passOn;
            } catch (Throwable cannot) { // drain and dropped declare no checked exceptions
                throw new IllegalStateException(cannot);
            }
        }
        java.util.Arrays.fill(refs, null);
    }

    private void encode(Encoder e, int i) throws IOException {
        int l = i * LONGS;
        int category = (int) longs[l];
        long tid = longs[l + 1];
        long start = longs[l + 2];
        long dur = Math.max(0, longs[l + 3] - start);
        Object nameRef = refs[i * REFS];
        String name = nameRef == null ? "?" : (String) nameRef;
        int count = (int) longs[l + 5];
        if (count <= 0) {
            e.apiSlice(category, tid, start, dur, name, 0, 0, 0);
        } else if (count == 1) {
            e.apiSlice(category, tid, start, dur, name, 1, longs[l + 4], 0);
        } else {
            for (long id : (long[]) refs[i * REFS + 1]) {
                e.apiSlice(category == PHASE ? PHASE : category, tid, start, dur, name, 2, id, count);
            }
        }
    }
}
