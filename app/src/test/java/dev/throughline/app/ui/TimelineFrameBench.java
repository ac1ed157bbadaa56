package dev.throughline.app.ui;

import javafx.application.Platform;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * The timeline's frame time on one capture (bench/run-timeline.sh): opens the workbench (Monocle, software
 * rendering), times open → findings shown, shows the Timeline, and replays a scripted sequence of wheel zooms
 * at the cursor, drags and A/D key pans as JavaFX input events on the canvas. Per event it measures
 * <ul>
 * <li><b>redraw</b>: from the event's dispatch to the end of the canvas redraw it causes (from the data the
 * view holds; the read it triggers runs on the db thread meanwhile);</li>
 * <li><b>data</b>: from the event to the end of the first redraw after a read that started after the event,
 * i.e. until the new window is drawn from its own data (the next event waits for it).</li>
 * </ul>
 * The script runs once unmeasured first (JIT warm-up). Then a paced pass (one event every 16 ms, not waiting
 * for data, as a drag or a fast wheel does) gives the redraw times under a read backlog. Redraws are also timed
 * in CPU time of the FX thread (a figure that the other work on a shared machine does not inflate). Last, the
 * used heap after a full GC. Prints one JSON object. The canvas is rasterized later, on the render thread, in the
 * pulse's "Painting" phase: run with {@code -Djavafx.pulseLogger=true -Djavafx.pulseLogger.threshold=0} for those
 * times (whole ms), between the {@code #bench} marker lines (bench/run-timeline.sh does).
 * Usage: {@code TimelineFrameBench CAPTURE [EVENTS]} (EVENTS limits the script, e.g. for a slow baseline;
 * {@code -Dbench.quick=true} runs pass 1 only, {@code -Dbench.warmup=FILE} opens FILE first).
 */
public final class TimelineFrameBench {
    private static MainWindow window;
    private static volatile long probeAt;

    public static void main(String[] args) throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        Path capture = Path.of(args[0]);
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Platform.startup(() -> { });
        fx(() -> {
            Stage stage = new Stage();
            window = new MainWindow(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1600); // the Monocle screen is sized to match: -Dheadless.geometry=1600x1000-32
            stage.setHeight(1000);
            stage.show();
            return null;
        });
        // cold: the first capture this JVM opens (class loading, CSS, JIT); warm: a second one, when the window
        // has opened one before (-Dbench.warmup=FILE, e.g. the sample capture, opened first)
        String warmup = System.getProperty("bench.warmup");
        double coldMs = Double.NaN;
        if (warmup != null) {
            coldMs = openMs(Path.of(warmup));
        }
        double overviewMs = openMs(capture);
        double overviewCpuMs = lastOpenCpuMs;
        if (warmup == null) {
            coldMs = overviewMs;
        }
        double overviewFromJvmMs = System.currentTimeMillis() - jvmStart;
        CaptureView view = fx(window::selectedView);

        long timelineAt = System.nanoTime();
        fx(() -> {
            view.showView("Timeline");
            return null;
        });
        TimelineView t = view.timeline();
        waitFor(600, () -> !t.loadingProperty().get() && t.lastRead() != null);
        double timelineMs = (System.nanoTime() - timelineAt) / 1e6;
        fx(() -> {
            t.afterRedraw(() -> probeAt = System.nanoTime());
            return null;
        });

        List<Step> script = script();
        if (script.size() > limit) {
            script = script.subList(0, limit);
        }
        // a warm-up run of the script (JIT), then pass 1: each event, then wait until its window is drawn from its
        // own data
        List<Double> redraw = new ArrayList<>();
        List<Double> redrawCpu = new ArrayList<>();
        List<Double> data = new ArrayList<>();
        List<Double> readMs = new ArrayList<>();
        List<Integer> lodTracks = new ArrayList<>();
        List<Integer> boxes = new ArrayList<>();
        boolean quick = Boolean.getBoolean("bench.quick"); // one pass only (a slow baseline)
        for (Step s : quick ? List.<Step>of() : script) {
            fx(() -> {
                s.fire(t);
                return null;
            });
            waitFor(600, () -> !t.loadingProperty().get());
        }
        fx(() -> {
            t.fitAll();
            return null;
        });
        waitFor(600, () -> !t.loadingProperty().get());
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        marker("pass1 begin");
        for (Step s : script) {
            long readsBefore = fx(t::readsStarted);
            long[] at = new long[1];
            double[] cpu = new double[1];
            double r = fx(() -> {
                probeAt = 0;
                long c0 = threads.getCurrentThreadCpuTime();
                at[0] = System.nanoTime();
                s.fire(t);
                cpu[0] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                return probeAt == 0 ? Double.NaN : (probeAt - at[0]) / 1e6;
            });
            if (!Double.isNaN(r)) {
                redraw.add(r);
                redrawCpu.add(cpu[0]);
            }
            waitFor(600, () -> t.lastRead() != null && t.lastRead().seq() > readsBefore && !t.loadingProperty().get()
                    || fx(t::readsStarted) == readsBefore && !t.loadingProperty().get());
            long drawn = fx(() -> probeAt);
            TimelineView.Read read = fx(t::lastRead);
            if (read.seq() > readsBefore) {
                if (Boolean.getBoolean("bench.verbose")) {
                    System.err.printf(Locale.ROOT, "read %d: %.0f ns/px, %d LOD + %d slice tracks, %d boxes, %.1f ms read,"
                            + " %.1f ms redraw, %.1f ms to data%n", read.seq(), read.nsPerPixel(), read.lodTracks(),
                            read.sliceTracks(), read.boxes(), read.ms(), r, (drawn - at[0]) / 1e6);
                }
                data.add((drawn - at[0]) / 1e6);
                readMs.add(read.ms());
                lodTracks.add(read.lodTracks());
                boxes.add(read.boxes());
            }
        }
        marker("pass1 end");
        // pass 2: paced at 60 Hz, not waiting for the reads (they coalesce); redraw time only
        fx(() -> {
            t.fitAll();
            return null;
        });
        waitFor(600, () -> !t.loadingProperty().get());
        List<Double> paced = new ArrayList<>();
        marker("paced begin");
        for (Step s : quick ? List.<Step>of() : script) {
            double r = fx(() -> {
                probeAt = 0;
                long a = System.nanoTime();
                s.fire(t);
                return probeAt == 0 ? Double.NaN : (probeAt - a) / 1e6;
            });
            if (!Double.isNaN(r)) {
                paced.add(r);
            }
            Thread.sleep(16);
        }
        marker("paced end");
        waitFor(600, () -> !t.loadingProperty().get());

        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long max = Runtime.getRuntime().maxMemory();
        StringBuilder json = new StringBuilder("{");
        json.append(String.format(Locale.ROOT, "\"capture\":\"%s\",\"captureBytes\":%d,\"events\":%d,",
                capture, Files.size(capture), script.size()));
        json.append(String.format(Locale.ROOT, "\"openToFindingsCpuMs\":%.0f,", overviewCpuMs));
        json.append(String.format(Locale.ROOT, "\"openToFindingsMs\":%.0f,\"firstOpenInJvmMs\":%.0f,"
                + "\"jvmStartToFindingsMs\":%.0f,\"timelineFirstDrawMs\":%.0f,", overviewMs, coldMs, overviewFromJvmMs,
                timelineMs));
        json.append("\"redraw\":").append(stats(redraw)).append(',');
        json.append("\"redrawFxCpu\":").append(stats(redrawCpu)).append(',');
        json.append("\"data\":").append(stats(data)).append(',');
        json.append("\"readMs\":").append(stats(readMs)).append(',');
        json.append("\"pacedRedraw\":").append(stats(paced)).append(',');
        json.append(String.format(Locale.ROOT, "\"readsFromLod\":%d,\"readsTotal\":%d,\"maxBoxes\":%d,",
                lodTracks.stream().filter(n -> n > 0).count(), lodTracks.size(),
                boxes.stream().mapToInt(Integer::intValue).max().orElse(0)));
        json.append(String.format(Locale.ROOT, "\"heapUsedAfterGcMB\":%.1f,\"heapMaxMB\":%.0f}", used / 1048576.0,
                max / 1048576.0));
        System.out.println(json);
        Platform.exit();
        System.exit(0);
    }

    /** A line in stdout between the pulse logger's lines (-Djavafx.pulseLogger=true), to find a pass's pulses. */
    private static void marker(String what) {
        System.out.println("#bench " + what);
        System.out.flush();
    }

    /** Opens {@code file} and waits until its Overview (findings first) is in the window and laid out. */
    private static double openMs(Path file) throws Exception {
        Path abs = file.toAbsolutePath().normalize();
        long cpuAt = processCpuNs();
        long at = System.nanoTime();
        fx(() -> {
            window.open(file);
            return null;
        });
        // the Overview tab (its findings cards are built with it) is there once the open task is done
        waitFor(120, () -> !window.busy() && window.selectedView() != null
                && window.selectedView().session().source().equals(abs));
        fx(() -> null); // one more turn of the FX thread: the overview has been laid out
        double ms = (System.nanoTime() - at) / 1e6;
        lastOpenCpuMs = (processCpuNs() - cpuAt) / 1e6;
        return ms;
    }

    private static double lastOpenCpuMs;

    /** CPU time of the whole JVM (every thread: FX, render, db, GC, JIT): the open's cost without the wait for a core. */
    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** n, median, p99, max (nearest rank). */
    static String stats(List<Double> xs) {
        if (xs.isEmpty()) {
            return "{\"n\":0}";
        }
        double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "{\"n\":%d,\"median\":%.2f,\"p99\":%.2f,\"max\":%.2f}", v.length,
                rank(v, 0.5), rank(v, 0.99), v[v.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** One scripted input event. */
    interface Step {
        void fire(TimelineView t);
    }

    /**
     * From the whole capture: 56 wheel steps in at the cursor (×0.8 each, ~1/250,000 of the span: through every
     * level of detail into single slices), a drag of 30 moves, 28 wheel steps out, 30 D/A key pans, a drag of 30
     * moves at that zoom, 28 wheel steps out to the whole capture: 202 events.
     */
    static List<Step> script() {
        List<Step> s = new ArrayList<>();
        for (int i = 0; i < 56; i++) {
            s.add(t -> wheel(t, 0.45, 40));
        }
        drag(s, 30, -25);
        for (int i = 0; i < 28; i++) {
            s.add(t -> wheel(t, 0.55, -40));
        }
        for (int i = 0; i < 30; i++) {
            KeyCode k = i % 3 == 2 ? KeyCode.A : KeyCode.D;
            s.add(t -> Event.fireEvent(t.canvas(), new KeyEvent(KeyEvent.KEY_PRESSED, "", "", k, false, false, false,
                    false)));
        }
        drag(s, 30, 30);
        for (int i = 0; i < 28; i++) {
            s.add(t -> wheel(t, 0.5, -40));
        }
        return s;
    }

    private static void wheel(TimelineView t, double fx, double dy) {
        Node c = t.canvas();
        double x = TimelineView.LABEL_W + (t.canvas().getWidth() - TimelineView.LABEL_W) * fx;
        double y = TimelineView.RULER_H + 80;
        Point2D sc = c.localToScene(x, y);
        Event.fireEvent(c, new ScrollEvent(ScrollEvent.SCROLL, sc.getX(), sc.getY(), sc.getX(), sc.getY(), false, false,
                false, false, false, false, 0, dy, 0, dy, ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
    }

    /** A press, {@code moves} drags of {@code dx} px each, a release: a pan by drag. */
    private static void drag(List<Step> s, int moves, double dx) {
        double y = TimelineView.RULER_H + 120;
        double x0 = 900;
        s.add(t -> mouse(t, MouseEvent.MOUSE_PRESSED, x0, y));
        for (int i = 1; i <= moves; i++) {
            double x = x0 + i * dx;
            s.add(t -> mouse(t, MouseEvent.MOUSE_DRAGGED, x, y));
        }
        s.add(t -> mouse(t, MouseEvent.MOUSE_RELEASED, x0 + moves * dx, y));
    }

    private static void mouse(TimelineView t, javafx.event.EventType<MouseEvent> type, double x, double y) {
        Point2D sc = t.canvas().localToScene(x, y);
        Event.fireEvent(t.canvas(), new MouseEvent(type, sc.getX(), sc.getY(), sc.getX(), sc.getY(), MouseButton.PRIMARY,
                1, false, false, false, false, true, false, false, false, false, false, null));
    }

    static <T> T fx(Callable<T> c) throws Exception {
        if (Platform.isFxApplicationThread()) {
            return c.call();
        }
        FutureTask<T> task = new FutureTask<>(c);
        Platform.runLater(task);
        return task.get(600, TimeUnit.SECONDS);
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!fx(condition)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            Thread.sleep(2);
        }
    }
}
