package dev.throughline.app.ui;

import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;

import java.nio.file.Path;

/**
 * A small capture written for the UI tests, with known numbers: 10 steps of 100 ms on MainThread
 * (each: data_wait 50 ms, then forward 40 ms), CPU samples every 1 ms on MainThread and every 2 ms on a
 * worker thread, two counters (cpu_percent, rss_bytes) and an instant per step.
 * <p>MainThread's 1,000 samples, by i % 10: 0–3 main → train_step → forward (model.py; 3 is at a
 * native conv under it, 2 at another line of forward), 4–8 main → train_step → load_batch (data.py),
 * 9 main itself. The worker's 500 samples are a Java stack.
 */
final class SampledCapture {
    static final long T0 = 1_000_000_000L;
    static final long MS = 1_000_000L;

    private SampledCapture() {
    }

    static Path write(Path file) throws Exception {
        return write(file, 100, 40);
    }

    /** The same job with other step and forward lengths (ms), e.g. the "after" of a comparison. */
    static Path write(Path file, long stepMs, long forwardMs) throws Exception {
        try (CaptureWriter w = CaptureWriter.create(file, true)) {
            int p = w.process(4242, "train.py");
            int main = w.thread(p, 4242, "MainThread");
            int worker = w.thread(p, 4243, "pool-1-thread-1");
            int host = w.track(TrackKind.THREAD, p, main, null, null, null);
            int cpu = w.track(TrackKind.COUNTER, p, null, null, null, "cpu_percent");
            int rss = w.track(TrackKind.COUNTER, p, null, null, null, "rss_bytes");
            for (int step = 0; step < 10; step++) {
                long t = T0 + step * stepMs * MS;
                w.slice(host, t, stepMs * MS, w.string("step#" + step), Category.STEP, 0, -1, -1, 0);
                w.slice(host, t, 50 * MS, w.string("data_wait"), Category.DATA_WAIT, 1, -1, -1, 0);
                w.slice(host, t + 55 * MS, forwardMs * MS, w.string("forward"), Category.PYTHON, 1, -1, -1, 0);
                w.instant(host, t + (stepMs - 1) * MS, w.string("checkpoint"), 0);
            }
            for (int i = 0; i <= 100; i++) {
                w.counter(cpu, T0 + i * 10 * MS, 50 + 45 * Math.sin(i / 8.0));
                w.counter(rss, T0 + i * 10 * MS, 200e6 + i * 1e6);
            }
            int fMain = w.frame("main", "/work/train.py", 10);
            int fStep = w.frame("train_step", "/work/train.py", 20);
            int fForward = w.frame("forward", "/work/model.py", 5);
            int fForward6 = w.frame("forward", "/work/model.py", 6);
            int fConv = w.frame("at::native::conv2d", "libtorch_cpu.so", 0);
            int fLoad = w.frame("load_batch", "/work/data.py", 7);
            int cMain = w.callsite(0, fMain, 0);
            int cStep = w.callsite(cMain, fStep, 1);
            int cForward = w.callsite(cStep, fForward, 2);
            int cForward6 = w.callsite(cStep, fForward6, 2);
            int cConv = w.callsite(cForward, fConv, 3);
            int cLoad = w.callsite(cStep, fLoad, 2);
            for (int i = 0; i < 1000; i++) {
                int leaf = switch (i % 10) {
                    case 0, 1 -> cForward;
                    case 2 -> cForward6;
                    case 3 -> cConv;
                    case 9 -> cMain;
                    default -> cLoad;
                };
                w.sample(main, T0 + i * MS, leaf, 1);
            }
            int jRun = w.frame("java.lang.Thread.run", "Thread.java", 833);
            int jWork = w.frame("java.util.concurrent.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1136);
            int jTask = w.frame("com.example.Prefetch.call", "Prefetch.java", 42);
            int cRun = w.callsite(0, jRun, 0);
            int cWork = w.callsite(cRun, jWork, 1);
            int cTask = w.callsite(cWork, jTask, 2);
            for (int i = 0; i < 500; i++) {
                w.sample(worker, T0 + i * 2 * MS, i % 5 == 0 ? cWork : cTask, 1);
            }
        }
        return file;
    }
}
