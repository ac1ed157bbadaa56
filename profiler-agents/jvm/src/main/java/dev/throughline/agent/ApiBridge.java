package dev.throughline.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Connects the program's {@code dev.throughline.api.Throughline} (the API jar, in whatever class loader the program
 * put it) to the sender: installs a {@link Proxy} implementing that loader's {@code Sink}, so the agent never needs
 * the API on its own class path. Intervals become SLICE frames with the API's category; a phase shared by several
 * requests becomes one slice per request ({@code request_id}, {@code batch_size}), so that per-request breakdowns stay
 * simple sums. Scanned again every few seconds for loaders that load the API later.
 */
final class ApiBridge {
    static final String API_CLASS = "dev.throughline.api.Throughline";
    private static final String SINK_CLASS = "dev.throughline.api.Sink";
    private static final int PHASE = 3;

    private final Sender out;
    private final Set<Class<?>> installed = Collections.newSetFromMap(new IdentityHashMap<>());

    ApiBridge(Sender out) {
        this.out = out;
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
        return installed.size();
    }

    int installedCount() {
        return installed.size();
    }

    private void install(Class<?> api) {
        try {
            Class<?> sink = Class.forName(SINK_CLASS, false, api.getClassLoader());
            Object proxy = Proxy.newProxyInstance(sink.getClassLoader(), new Class<?>[] {sink}, new Handler(out));
            api.getMethod("install", sink).invoke(null, proxy);
            installed.add(api);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("throughline agent: warning: cannot connect " + API_CLASS + " (" + api.getClassLoader()
                    + "): " + e);
            installed.add(api); // said once
        }
    }

    /** {@code install(null)} everywhere it was installed. */
    void uninstall() {
        for (Class<?> api : installed) {
            try {
                Class<?> sink = Class.forName(SINK_CLASS, false, api.getClassLoader());
                api.getMethod("install", sink).invoke(null, new Object[] {null});
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the program keeps our sink; it drops everything once the sender is finished
            }
        }
        installed.clear();
    }

    /** Runs on the program's threads: never throws, never blocks. */
    static final class Handler implements InvocationHandler {
        private final Sender out;

        Handler(Sender out) {
            this.out = out;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "interval":
                    try {
                        interval(out, (Integer) args[0], (String) args[1], (Long) args[2], (Long) args[3], (Long) args[4],
                                (long[]) args[5]);
                    } catch (RuntimeException e) {
                        // a profiler must never break the program it observes
                    }
                    return null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "throughline-agent sink";
                default:
                    return null;
            }
        }
    }

    static void interval(Sender out, int category, String name, long tid, long startNs, long endNs, long[] requestIds) {
        long dur = Math.max(0, endNs - startNs);
        String n = name == null ? "?" : name;
        if (requestIds == null || requestIds.length == 0) {
            out.offer(new Event.Slice(category, tid, startNs, dur, n));
        } else if (requestIds.length == 1) {
            out.offer(new Event.Slice(category, tid, startNs, dur, n, "request_id", requestIds[0]));
        } else {
            long batch = requestIds.length;
            for (long id : requestIds) {
                out.offer(new Event.Slice(category == PHASE ? PHASE : category, tid, startNs, dur, n,
                        "request_id", id, "batch_size", batch));
            }
        }
    }
}
