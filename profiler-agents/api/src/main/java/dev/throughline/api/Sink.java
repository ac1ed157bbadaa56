package dev.throughline.api;

/**
 * Where marked intervals go: installed by the Throughline JVM agent, never by user code.
 *
 * <p>Only JDK types appear here so that an agent loaded by another class loader can implement it
 * through {@link java.lang.reflect.Proxy} without compiling against this jar.
 */
public interface Sink {
    /** Category ids, the same numbers as the wire protocol's slice categories. */
    int STEP = 1;
    int REQUEST = 2;
    int PHASE = 3;
    int USER = 14;

    /**
     * One finished interval.
     *
     * @param category   one of the constants above
     * @param name       request name (e.g. {@code POST /infer}), phase name ({@code queue}, {@code compute}, ...)
     *                   or span name
     * @param threadId   the thread that opened the interval ({@link Thread#getId()})
     * @param startNs    {@link System#nanoTime()} at open
     * @param endNs      {@link System#nanoTime()} at close
     * @param requestIds the requests this interval belongs to (empty for steps and plain spans); a batch's
     *                   compute phase names every request in the batch
     */
    void interval(int category, String name, long threadId, long startNs, long endNs, long[] requestIds);
}
