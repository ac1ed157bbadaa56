package dev.throughline.storage.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IntervalSetTest {

    @Test
    void unionSortsMergesOverlapsAndTouchesAndDropsEmptyRanges() {
        // [5,7) [1,3) [3,4) touches [1,3); [2,3) inside; [10,12) and [11,11) empty; [8,8) empty; [20,15) inverted
        IntervalSet s = IntervalSet.of(5, 7, 1, 3, 3, 4, 2, 3, 10, 12, 11, 11, 8, 8, 20, 15);
        assertArrayEquals(new long[] {1, 4, 5, 7, 10, 12}, s.toPairs());
        assertEquals(3 + 2 + 2, s.totalLength());
    }

    @Test
    void unionOfNestedRangesKeepsTheOuterOne() {
        // [0,100) contains [10,20) and [30,40); [100,110) touches its end
        IntervalSet s = IntervalSet.of(10, 20, 0, 100, 30, 40, 100, 110);
        assertArrayEquals(new long[] {0, 110}, s.toPairs());
    }

    @Test
    void intersect() {
        IntervalSet a = IntervalSet.of(0, 10, 20, 30);
        IntervalSet b = IntervalSet.of(5, 25);
        // [5,10) + [20,25)
        assertArrayEquals(new long[] {5, 10, 20, 25}, a.intersect(b).toPairs());
        assertEquals(10, a.intersect(b).totalLength());
        assertTrue(a.intersect(IntervalSet.EMPTY).isEmpty());
        // ranges that only touch share no time
        assertTrue(IntervalSet.of(0, 10).intersect(IntervalSet.of(10, 20)).isEmpty());
    }

    @Test
    void subtract() {
        IntervalSet a = IntervalSet.of(0, 10, 20, 30);
        IntervalSet b = IntervalSet.of(2, 3, 5, 22, 29, 40);
        // [0,2) [3,5) from the first range, [22,29) from the second: 2 + 2 + 7 = 11
        assertArrayEquals(new long[] {0, 2, 3, 5, 22, 29}, a.subtract(b).toPairs());
        assertEquals(11, a.subtract(b).totalLength());
        assertEquals(a, a.subtract(IntervalSet.EMPTY));
        assertTrue(a.subtract(IntervalSet.of(-5, 50)).isEmpty());
    }

    @Test
    void lengthWithinClipsBothEdges() {
        IntervalSet a = IntervalSet.of(0, 10, 20, 30, 40, 50);
        assertEquals(5 + 10 + 5, a.lengthWithin(5, 45));
        assertEquals(0, a.lengthWithin(10, 20)); // a gap exactly
        assertEquals(1, a.lengthWithin(25, 26)); // inside one range
        assertEquals(30, a.lengthWithin(-100, 100));
        assertEquals(0, a.lengthWithin(100, 200));
        assertEquals(0, a.lengthWithin(-5, 0));
        assertEquals(0, a.lengthWithin(30, 20)); // reversed window
    }

    @Test
    void unionWithAnotherSet() {
        IntervalSet a = IntervalSet.of(0, 10, 30, 40);
        IntervalSet b = IntervalSet.of(10, 15, 35, 50, 60, 70);
        // [0,15) [30,50) [60,70)
        assertArrayEquals(new long[] {0, 15, 30, 50, 60, 70}, a.union(b).toPairs());
    }

    @Test
    void builderMatchesOf() {
        IntervalSet.Builder b = new IntervalSet.Builder(1);
        for (int i = 0; i < 100; i++) {
            b.add(i * 10L, i * 10L + 5);
        }
        IntervalSet s = b.build();
        assertEquals(100, s.size());
        assertEquals(500, s.totalLength());
        assertEquals(5, s.lengthWithin(10, 20));
    }

    /** The algebra against a brute-force boolean timeline on random ranges. */
    @Test
    void randomRangesAgreeWithBruteForce() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            int span = 300;
            int horizon = span + 40; // ranges start below span and are shorter than 40
            boolean[] ca = new boolean[horizon];
            boolean[] cb = new boolean[horizon];
            IntervalSet.Builder ba = new IntervalSet.Builder();
            IntervalSet.Builder bb = new IntervalSet.Builder();
            int na = rnd.nextInt(20);
            for (int i = 0; i < na; i++) {
                int s = rnd.nextInt(span);
                int e = s + rnd.nextInt(30) - 3; // some empty and inverted ranges
                ba.add(s, e);
                for (int t = s; t < e; t++) {
                    ca[t] = true;
                }
            }
            int nb = rnd.nextInt(20);
            for (int i = 0; i < nb; i++) {
                int s = rnd.nextInt(span);
                int e = s + rnd.nextInt(30);
                bb.add(s, e);
                for (int t = s; t < e; t++) {
                    cb[t] = true;
                }
            }
            IntervalSet a = ba.build();
            IntervalSet b = bb.build();
            int from = rnd.nextInt(span);
            int to = rnd.nextInt(span);
            long onlyA = 0;
            long both = 0;
            long either = 0;
            long aInWindow = 0;
            long aTotal = 0;
            for (int t = 0; t < horizon; t++) {
                onlyA += ca[t] && !cb[t] ? 1 : 0;
                both += ca[t] && cb[t] ? 1 : 0;
                either += ca[t] || cb[t] ? 1 : 0;
                aTotal += ca[t] ? 1 : 0;
                aInWindow += ca[t] && t >= from && t < to ? 1 : 0;
            }
            assertEquals(aTotal, a.totalLength());
            assertEquals(onlyA, a.subtract(b).totalLength());
            assertEquals(both, a.intersect(b).totalLength());
            assertEquals(either, a.union(b).totalLength());
            assertEquals(aInWindow, a.lengthWithin(from, to));
            long[] p = a.toPairs();
            for (int i = 0; i + 2 < p.length; i += 2) {
                assertTrue(p[i] < p[i + 1] && p[i + 1] < p[i + 2], "normalized: " + a);
            }
        }
    }
}
