package dev.throughline.app.ui;

import dev.throughline.storage.summary.TimelineLodWriter;

import java.nio.file.Path;

/**
 * Adds (or rebuilds) summary_track and summary_lod in existing captures and prints how long that took: the
 * same pass {@code CaptureWriter.close()} runs, so its time is the close time the level of detail adds
 * (bench/run-timeline.sh). Usage: {@code AddTimelineLod CAPTURE…}.
 */
public final class AddTimelineLod {
    private AddTimelineLod() {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            long t0 = System.nanoTime();
            TimelineLodWriter.Written w = TimelineLodWriter.addTo(Path.of(a));
            System.out.printf("{\"capture\":\"%s\",\"tracks\":%d,\"slices\":%d,\"lodRows\":%d,\"seconds\":%.2f}%n",
                    a, w.tracks(), w.slices(), w.rows(), (System.nanoTime() - t0) / 1e9);
        }
    }
}
