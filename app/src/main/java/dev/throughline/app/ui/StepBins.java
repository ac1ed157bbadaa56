package dev.throughline.app.ui;

import dev.throughline.storage.model.StepRow;

import java.util.ArrayList;
import java.util.List;

/**
 * The step chart's bars: one per step, or, when there are more steps than the chart can show as bars, the
 * mean of each run of consecutive steps (a long capture has thousands; a chart of every one of them took
 * seconds to lay out and draw on the FX thread, and its bars were thinner than a pixel).
 */
final class StepBins {
    /** More steps than this are grouped. */
    static final int MAX_BARS = 200;

    /** One bar: steps {@code first}..{@code last} (the same for one step), the mean time of each part (ns). */
    record Bin(long first, long last, int steps, double[] meanPartNs) {
        String label() {
            return first == last ? Long.toString(first) : first + "–" + last;
        }

        double totalNs() {
            double t = 0;
            for (double p : meanPartNs) {
                t += p;
            }
            return t;
        }
    }

    /** A bar taller than this many medians is an outlier (a warm-up step): it would flatten every other bar. */
    static final double OUTLIER_MEDIANS = 4;

    /**
     * Where the chart's time axis should end so that outliers (e.g. a 210 ms warm-up step among 5 ms steps) do not
     * flatten the rest: 1.25 × the tallest bar that is not an outlier; NaN when no bar is an outlier (auto range).
     */
    static double axisCapNs(List<Bin> bins) {
        double[] totals = bins.stream().mapToDouble(Bin::totalNs).sorted().toArray();
        if (totals.length < 3) {
            return Double.NaN;
        }
        double median = totals[totals.length / 2];
        double tallestRegular = 0;
        boolean outliers = false;
        for (double t : totals) {
            if (t > OUTLIER_MEDIANS * median) {
                outliers = true;
            } else {
                tallestRegular = Math.max(tallestRegular, t);
            }
        }
        return outliers && tallestRegular > 0 ? 1.25 * tallestRegular : Double.NaN;
    }

    private StepBins() {
    }

    /** {@code parts} gives a step's parts in ns, in the chart's order. */
    static List<Bin> of(List<StepRow> steps, java.util.function.Function<StepRow, long[]> parts) {
        int n = steps.size();
        int per = Math.max(1, (n + MAX_BARS - 1) / MAX_BARS);
        List<Bin> out = new ArrayList<>();
        for (int from = 0; from < n; from += per) {
            int to = Math.min(n, from + per);
            double[] sum = null;
            for (int i = from; i < to; i++) {
                long[] p = parts.apply(steps.get(i));
                if (sum == null) {
                    sum = new double[p.length];
                }
                for (int k = 0; k < p.length; k++) {
                    sum[k] += p[k];
                }
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] /= to - from;
            }
            out.add(new Bin(steps.get(from).step(), steps.get(to - 1).step(), to - from, sum));
        }
        return out;
    }
}
