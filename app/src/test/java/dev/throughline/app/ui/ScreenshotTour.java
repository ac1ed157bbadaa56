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
 * Uses ImageMagick's {@code import -window root}.
 */
public final class ScreenshotTour {
    private static MainWindow window;

    public static void main(String[] args) throws Exception {
        System.setProperty("throughline.ui.noPrefs", "true");
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
            v.showView("Timeline");
            return null;
        });
        waitFor(() -> !v.timeline().loadingProperty().get() && !v.timeline().drawn().isEmpty());
        Thread.sleep(500);
        shot(out.resolve("timeline-full.png"));
        fx(() -> {
            var steps = v.session().report().overview().steps();
            long origin = v.session().reader().timeOriginNs();
            var s = steps.get(2);
            v.timeline().show(s.startNs() - origin + (s.endNs() - s.startNs()) * 0.30,
                    s.startNs() - origin + (s.endNs() - s.startNs()) * 0.36);
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
            v.showView("Kernels");
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
