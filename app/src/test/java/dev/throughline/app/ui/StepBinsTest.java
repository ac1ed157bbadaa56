package dev.throughline.app.ui;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepBinsTest {
    private static List<StepBins.Bin> bars(double... totalsMs) {
        List<StepBins.Bin> bins = new ArrayList<>();
        for (int i = 0; i < totalsMs.length; i++) {
            bins.add(new StepBins.Bin(i, i, 1, new double[] {totalsMs[i] * 0.6e6, totalsMs[i] * 0.4e6}));
        }
        return bins;
    }

    @Test
    void aWarmUpStepDoesNotSetTheScale() {
        // the H100 capture's shape: step 0 210 ms, the others ~5 ms
        double cap = StepBins.axisCapNs(bars(210, 5.1, 4.9, 5.0, 5.3, 5.2, 4.8));
        assertEquals(1.25 * 5.3e6, cap, 1, "1.25 × the tallest regular step");
    }

    @Test
    void stepsOfOneSizeOrAFewSlowerOnesKeepTheAutomaticScale() {
        assertTrue(Double.isNaN(StepBins.axisCapNs(bars(5, 5, 5, 5))));
        assertTrue(Double.isNaN(StepBins.axisCapNs(bars(5, 6, 19, 5, 5))), "3.8 medians is a slow step, not an outlier");
        assertTrue(Double.isNaN(StepBins.axisCapNs(bars(210, 5))), "two bars: nothing to tell apart");
    }
}
