package dev.throughline.app.ui;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.NameTotal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two captures side by side: the mean step, the time per category, and the slice names whose time
 * changed most. With steps on both sides the times are per step (a run of 30 steps and one of 80 are
 * comparable); otherwise they are the capture totals. Step names are left out of the name list (each
 * step has its own name; the step line compares them).
 */
final class CaptureComparison {
    /** Names per category read from each capture's summary. */
    static final int NAMES_PER_CATEGORY = 500;

    /** What one capture contributes: its steps, category totals and per-name totals. */
    record Side(String title, long spanNs, int steps, long meanStepNs, Map<Category, Long> categoryNs,
                Map<Category, List<NameTotal>> names) {
        /** The divisor for per-step figures: the step count, or 1 for capture totals. */
        double per(boolean perStep) {
            return perStep && steps > 0 ? steps : 1;
        }
    }

    /** One compared row: baseline and candidate (ns, per step or total), and the change. */
    record Delta(String name, Category category, double baselineNs, double candidateNs) {
        double diffNs() {
            return candidateNs - baselineNs;
        }

        /** The change as a fraction of the baseline; NaN when the baseline had none. */
        double change() {
            return baselineNs == 0 ? Double.NaN : diffNs() / baselineNs;
        }
    }

    /** The comparison: per step when both sides have steps. */
    record Result(Side baseline, Side candidate, boolean perStep, List<Delta> categories, List<Delta> names) {
        /** The mean step's change as a fraction, NaN when either side has no steps. */
        double stepChange() {
            return baseline.steps() == 0 || candidate.steps() == 0 || baseline.meanStepNs() == 0 ? Double.NaN
                    : (candidate.meanStepNs() - baseline.meanStepNs()) / (double) baseline.meanStepNs();
        }
    }

    private CaptureComparison() {
    }

    /** Reads one side; call on the session's db thread. */
    static Side side(CaptureSession s) throws SQLException {
        CaptureOverview o = s.report().overview();
        Map<Category, List<NameTotal>> names = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            if (c != Category.STEP) {
                List<NameTotal> n = s.reader().topNames(c, NAMES_PER_CATEGORY);
                if (!n.isEmpty()) {
                    names.put(c, n);
                }
            }
        }
        return new Side(s.title(), o.spanNs(), o.stepStats().count(), o.stepStats().meanNs(),
                new EnumMap<>(o.categoryTotalsNs()), names);
    }

    static Result compare(Side baseline, Side candidate, int topNames) {
        boolean perStep = baseline.steps() > 0 && candidate.steps() > 0;
        double pb = baseline.per(perStep);
        double pc = candidate.per(perStep);
        List<Delta> cats = new ArrayList<>();
        for (Category c : Category.values()) {
            long b = baseline.categoryNs().getOrDefault(c, 0L);
            long a = candidate.categoryNs().getOrDefault(c, 0L);
            if (a != 0 || b != 0) {
                cats.add(new Delta(c.label, c, b / pb, a / pc));
            }
        }
        cats.sort(Comparator.comparingDouble((Delta d) -> -Math.max(d.baselineNs(), d.candidateNs())));
        Map<String, double[]> byName = new LinkedHashMap<>();
        Map<String, Category> categoryOf = new HashMap<>();
        collect(baseline, 0, pb, byName, categoryOf);
        collect(candidate, 1, pc, byName, categoryOf);
        List<Delta> names = new ArrayList<>();
        byName.forEach((k, v) -> names.add(new Delta(k.substring(k.indexOf('\u0000') + 1), categoryOf.get(k), v[0], v[1])));
        names.sort(Comparator.comparingDouble((Delta d) -> -Math.abs(d.diffNs())).thenComparing(Delta::name));
        return new Result(baseline, candidate, perStep, cats,
                names.size() > topNames ? List.copyOf(names.subList(0, topNames)) : names);
    }

    private static void collect(Side side, int index, double per, Map<String, double[]> byName, Map<String, Category> categoryOf) {
        side.names().forEach((c, list) -> {
            for (NameTotal n : list) {
                String key = c.label + '\u0000' + n.name();
                byName.computeIfAbsent(key, k -> new double[2])[index] += n.totalNs() / per;
                categoryOf.put(key, c);
            }
        });
    }
}
