package dev.throughline.app.ui;

import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Takes the screenshots of docs/ui.md: run under Xvfb with a real (GTK) window, not Monocle, e.g.
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" java -cp … dev.throughline.app.ui.ScreenshotTour CAPTURE OUTDIR [SAMPLED [CANDIDATE]]}.
 * SAMPLED, a capture recorded with CPU samples and counters (e.g. {@code throughline record} of
 * samples/pytorch-train), adds the flame graph, range selection, counter and search shots; CANDIDATE, a
 * second recording of the same job, adds the Compare tab (CANDIDATE against SAMPLED).
 * {@code ScreenshotTour --views SERVING OUTDIR} takes only the record dialog, Requests (SERVING: a recorded serving
 * capture, e.g. samples/jvm-serving under load) and GPU counter shots; run it from the project root (the Python
 * agent is found there).
 * Uses ImageMagick's {@code import -window root}.
 */
public final class ScreenshotTour {
    private static MainWindow window;

    public static void main(String[] args) throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
        if (args.length == 3 && args[0].equals("--views")) {
            viewsTour(Path.of(args[1]), Path.of(args[2]));
            Platform.exit();
            System.exit(0);
        }
        Path capture = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Platform.startup(() -> { });
        fx(() -> {
            Stage stage = new Stage();
            window = new MainWindow(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1600);
            stage.setHeight(1000);
            stage.show();
            window.open(capture);
            return null;
        });
        waitFor(() -> !window.busy() && window.selectedView() != null);
        CaptureView v = fx(window::selectedView);
        Thread.sleep(1500);
        shot(out.resolve("overview.png"));
        fx(() -> {
            // the charts under the findings: the step chart (or the panels' row) at the top of the view
            var pane = v.overview();
            var chart = pane.lookup("#step-chart") != null ? pane.lookup("#step-chart") : pane.lookup("#requests-panel");
            double content = pane.getContent().getBoundsInLocal().getHeight();
            double view = pane.getViewportBounds().getHeight();
            double y = chart == null ? content : pane.getContent().sceneToLocal(chart.localToScene(0, 0)).getY() - 60;
            pane.setVvalue(content <= view ? 0 : Math.min(1, Math.max(0, y / (content - view))));
            return null;
        });
        Thread.sleep(500);
        shot(out.resolve("overview-charts.png"));
        fx(() -> {
            v.overview().setVvalue(0);
            return null;
        });

        fx(() -> {
            v.showView("Timeline");
            return null;
        });
        waitFor(() -> !v.timeline().loadingProperty().get() && !v.timeline().drawn().isEmpty());
        Thread.sleep(500);
        shot(out.resolve("timeline-full.png"));
        fx(() -> { // a slice of the third step, or (a service: no steps) of the middle of the capture
            var o = v.session().report().overview();
            long origin = v.session().reader().timeOriginNs();
            if (o.steps().size() > 2) {
                var s = o.steps().get(2);
                v.timeline().show(s.startNs() - origin + (s.endNs() - s.startNs()) * 0.30,
                        s.startNs() - origin + (s.endNs() - s.startNs()) * 0.36);
            } else {
                v.timeline().show(o.spanNs() * 0.50, o.spanNs() * 0.51);
            }
            return null;
        });
        Thread.sleep(300);
        waitFor(() -> !v.timeline().loadingProperty().get());
        fx(() -> {
            v.timeline().drawn().stream().filter(d -> d.box().merged() == 1 && d.w() > 60
                            && d.box().category() == dev.throughline.storage.Category.KERNEL)
                    .findFirst().ifPresent(d -> v.timeline().select(d));
            return null;
        });
        Thread.sleep(1000);
        shot(out.resolve("timeline.png"));

        fx(() -> {
            v.showView(v.requests() == null ? "Kernels" : "Requests");
            return null;
        });
        Thread.sleep(1000);
        shot(out.resolve("tables.png"));

        fx(() -> {
            v.showView("SQL");
            v.sql().editor().setText(SqlConsole.EXAMPLES.get(2)[1]);
            v.sql().run();
            return null;
        });
        Thread.sleep(1500);
        shot(out.resolve("sql.png"));

        fx(() -> {
            v.showView("Overview");
            window.darkProperty().set(true);
            return null;
        });
        Thread.sleep(1200);
        shot(out.resolve("overview-dark.png"));
        fx(() -> {
            v.showView("Timeline");
            return null;
        });
        Thread.sleep(800);
        shot(out.resolve("timeline-dark.png"));
        fx(() -> {
            window.darkProperty().set(false);
            v.showView("Overview");
            window.toggleHelp();
            return null;
        });
        Thread.sleep(800);
        shot(out.resolve("help.png"));
        fx(() -> {
            window.toggleHelp();
            Path bad = Files.createTempFile("broken-", ".json.gz");
            Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'x', 'y'});
            bad.toFile().deleteOnExit();
            window.open(bad);
            return null;
        });
        Thread.sleep(1500);
        shot(out.resolve("error.png"));
        if (args.length > 2) {
            fx(() -> {
                window.errorDialog().close();
                return null;
            });
            sampledTour(Path.of(args[2]), out);
        }
        if (args.length > 3) {
            compareTour(Path.of(args[2]), Path.of(args[3]), out);
        }
        Platform.exit();
        System.exit(0);
    }

    /** The Requests tab of a serving capture, the Overview's GPU counter chart, and the record dialog recording. */
    private static void viewsTour(Path serving, Path out) throws Exception {
        if (System.getProperty("throughline.home") == null) {
            System.setProperty("throughline.home", Path.of("").toAbsolutePath().toString());
        }
        Files.createDirectories(out);
        Platform.startup(() -> { });
        fx(() -> {
            Stage stage = new Stage();
            window = new MainWindow(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1600);
            stage.setHeight(1000);
            stage.show();
            window.open(serving);
            return null;
        });
        waitFor(() -> !window.busy() && window.selectedView() != null);
        CaptureView v = fx(window::selectedView);
        fx(() -> {
            v.showView("Requests");
            return null;
        });
        waitFor(() -> v.requests().histogram() != null && !v.requests().slowest().table().getItems().isEmpty());
        Thread.sleep(1200);
        shot(out.resolve("requests.png"));
        fx(() -> {
            window.darkProperty().set(true);
            return null;
        });
        Thread.sleep(1000);
        shot(out.resolve("requests-dark.png"));
        fx(() -> {
            window.darkProperty().set(false);
            return null;
        });

        Path tmp = Files.createTempDirectory("throughline-tour-");
        Path gpu = gpuCapture(tmp.resolve("gpu-train.tlcap"));
        fx(() -> {
            window.open(gpu);
            return null;
        });
        waitFor(() -> !window.busy() && window.selectedView() != null
                && window.selectedView().session().source().equals(gpu));
        CaptureView g = fx(window::selectedView);
        waitFor(() -> g.overview().gpuChart() != null);
        Thread.sleep(800);
        fx(() -> {
            g.overview().setVvalue(g.overview().getVmax());
            return null;
        });
        Thread.sleep(800);
        shot(out.resolve("overview-gpu.png"));

        Path script = tmp.resolve("train_steps.py");
        Files.writeString(script, String.join("\n",
                "import time",
                "import throughline_agent as tl",
                "for i in range(100000):",
                "    with tl.span('forward'):",
                "        time.sleep(0.03)",
                "    tl.step()", ""));
        // a JVM to attach to in the list: the serving sample, if it is built
        Path service = Path.of("samples/jvm-serving/target/jvm-serving.jar");
        Process jvm = Files.isRegularFile(service) ? new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", service.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start() : null;
        Thread.sleep(1500);
        fx(() -> {
            window.showRecordDialog();
            RecordDialog d = window.recordDialog();
            var scene = d.stage().getScene();
            ((javafx.scene.control.TextField) scene.lookup("#record-command"))
                    .setText("/usr/bin/python3 " + script);
            ((javafx.scene.control.TextField) scene.lookup("#record-output")).setText(tmp.resolve("rec.tlcap").toString());
            return null;
        });
        Thread.sleep(1500); // the process list fills
        fx(() -> {
            ((javafx.scene.control.Button) window.recordDialog().stage().getScene().lookup("#record-start")).fire();
            return null;
        });
        Thread.sleep(4000);
        shot(out.resolve("record.png"));
        fx(() -> {
            ((javafx.scene.control.Button) window.recordDialog().stage().getScene().lookup("#record-stop")).fire();
            return null;
        });
        waitFor(() -> !window.recordDialog().recording());
        Thread.sleep(1500);
        if (jvm != null) {
            jvm.destroy();
            jvm.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A training capture with NVML counters as the GPU feed sends them: 12 steps of 500 ms where the GPU is busy
     * ~90 % while it computes and drops to ~10 % while each step waits 150 ms for data; memory grows to 6.2 GB
     * over the first steps (allocator warm-up), then holds. Written here: this machine has no GPU.
     */
    static Path gpuCapture(Path file) throws Exception {
        long ms = 1_000_000L;
        long t0 = 7_000_000_000L;
        try (dev.throughline.storage.CaptureWriter w = dev.throughline.storage.CaptureWriter.create(file, true)) {
            int train = w.process(100, "train.py");
            int main = w.thread(train, 100, "MainThread");
            int mainTrack = w.track(dev.throughline.storage.TrackKind.THREAD, train, main, null, null, null);
            int probe = w.process(200, "gpu-probe");
            int util = w.track(dev.throughline.storage.TrackKind.COUNTER, probe, null, 0, null, "gpu0 utilization %");
            int mem = w.track(dev.throughline.storage.TrackKind.COUNTER, probe, null, 0, null, "gpu0 memory used bytes");
            java.util.Random r = new java.util.Random(7);
            for (int step = 0; step < 12; step++) {
                long s = t0 + step * 500 * ms;
                w.slice(mainTrack, s, 500 * ms, w.string("ProfilerStep#" + step),
                        dev.throughline.storage.Category.STEP, 0, -1, -1, 0);
                w.slice(mainTrack, s, 150 * ms, w.string("enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__"),
                        dev.throughline.storage.Category.DATA_WAIT, 1, -1, -1, 0);
            }
            for (int i = 0; i < 60; i++) { // 10 Hz
                long ts = t0 + i * 100 * ms;
                long inStep = (i * 100) % 500;
                double u = inStep < 150 ? 8 + r.nextDouble() * 6 : 86 + r.nextDouble() * 10;
                w.counter(util, ts, u);
                w.counter(mem, ts, Math.min(6.2e9, 1.5e9 + i * 0.35e9) + r.nextDouble() * 2e7);
            }
        }
        return file;
    }

    /** The flame graph, a range with its totals, counters and search, on a recorded capture with samples. */
    private static void sampledTour(Path capture, Path out) throws Exception {
        fx(() -> {
            window.open(capture);
            return null;
        });
        waitFor(() -> !window.busy() && window.selectedView() != null
                && window.selectedView().session().source().equals(capture));
        CaptureView v = fx(window::selectedView);
        fx(() -> {
            v.showView("Flame");
            return null;
        });
        waitFor(() -> !v.flame().loadingProperty().get() && !v.flame().drawn().isEmpty());
        Thread.sleep(800);
        shot(out.resolve("flame.png"));

        fx(() -> {
            CallTree.Node main = findIn(v.flame().tree().root(), "main", "train.py");
            v.flame().setFocus(main);
            v.flame().filterField().setText("fetch");
            return null;
        });
        Thread.sleep(800);
        shot(out.resolve("flame-zoom.png"));

        fx(() -> {
            v.flame().filterField().setText("");
            v.flame().setFocus(null);
            v.showView("Timeline");
            return null;
        });
        waitFor(() -> !v.timeline().loadingProperty().get() && !v.timeline().drawn().isEmpty());
        fx(() -> {
            var steps = v.session().report().overview().steps();
            long origin = v.session().reader().timeOriginNs();
            v.timeline().selectRange(steps.get(10).startNs() - origin, steps.get(14).endNs() - origin);
            return null;
        });
        Thread.sleep(1200);
        shot(out.resolve("timeline-range.png"));

        fx(() -> {
            v.timeline().searchField().setText("DataLoader");
            return null;
        });
        waitFor(() -> v.timeline().searchResult() != null);
        fx(() -> {
            v.timeline().jump(1);
            v.timeline().jump(1);
            return null;
        });
        Thread.sleep(300);
        waitFor(() -> !v.timeline().loadingProperty().get());
        Thread.sleep(800);
        shot(out.resolve("timeline-search.png"));

        fx(() -> {
            v.timeline().searchField().setText("");
            v.timeline().rangePane().flameButton().fire();
            return null;
        });
        Thread.sleep(300);
        waitFor(() -> !v.flame().loadingProperty().get());
        Thread.sleep(800);
        shot(out.resolve("flame-range.png"));
        fx(() -> {
            window.darkProperty().set(true);
            return null;
        });
        Thread.sleep(1200);
        System.out.println("dark: " + fx(() -> window.darkProperty().get()));
        shot(out.resolve("flame-dark.png"));
        fx(() -> {
            window.darkProperty().set(false);
            return null;
        });
    }

    /** CANDIDATE (e.g. the same job with DataLoader workers) compared with the sampled capture as the baseline. */
    private static void compareTour(Path baseline, Path candidate, Path out) throws Exception {
        fx(() -> {
            window.open(candidate);
            return null;
        });
        waitFor(() -> !window.busy() && window.selectedView() != null
                && window.selectedView().session().source().equals(candidate));
        CaptureView v = fx(window::selectedView);
        fx(() -> {
            v.showView("Compare");
            CaptureSession base = window.openSessions().stream().filter(s -> s.source().equals(baseline)).findFirst()
                    .orElseThrow();
            v.compare().compareWith(base);
            return null;
        });
        waitFor(() -> v.compare().result() != null);
        Thread.sleep(800);
        shot(out.resolve("compare.png"));
    }

    private static CallTree.Node findIn(CallTree.Node n, String function, String fileSuffix) {
        if (!n.isRoot() && n.function().equals(function) && n.file() != null && n.file().endsWith(fileSuffix)) {
            return n;
        }
        for (CallTree.Node c : n.children()) {
            CallTree.Node f = findIn(c, function, fileSuffix);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static void shot(Path file) throws Exception {
        // on a loaded machine the window can lag its state: let the FX thread drain and a few pulses render
        for (int i = 0; i < 3; i++) {
            fx(() -> null);
            Thread.sleep(300);
        }
        Process p = new ProcessBuilder("import", "-window", "root", file.toString()).inheritIO().start();
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("import failed for " + file);
        }
        System.out.println("wrote " + file);
    }

    private static void waitFor(Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!fx(c)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(100);
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        FutureTask<T> f = new FutureTask<>(c);
        Platform.runLater(f);
        return f.get(20, TimeUnit.SECONDS);
    }
}
