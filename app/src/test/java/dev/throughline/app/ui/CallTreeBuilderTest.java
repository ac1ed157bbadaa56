package dev.throughline.app.ui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folding per-callsite weights into the merged tree, the flame layout and frame kinds, without a capture. */
class CallTreeBuilderTest {
    // frames: 1 main, 2 work (line 5), 3 work (line 6), 4 leaf (native), 5 main (other file)
    static final CallTreeBuilder.Frame[] FRAMES = {
        null,
        new CallTreeBuilder.Frame("main", "a.py", 1),
        new CallTreeBuilder.Frame("work", "a.py", 5),
        new CallTreeBuilder.Frame("work", "a.py", 6),
        new CallTreeBuilder.Frame("memcpy", "libc.so.6", 0),
        new CallTreeBuilder.Frame("main", "b.py", 1),
    };
    // callsites: 1 main; 2 main>work@5; 3 main>work@6; 4 main>work@5>memcpy; 5 main>work@6>memcpy; 6 b.main
    static final CallTreeBuilder.Callsites CALLSITES = new CallTreeBuilder.Callsites(
            new int[] {0, 0, 1, 1, 2, 3, 0}, new int[] {0, 1, 2, 3, 4, 4, 5}, new int[] {0, 0, 1, 1, 2, 2, 0}, FRAMES);

    @Test
    void callsitesThatDifferOnlyInTheLineMerge() {
        CallTree t = new CallTreeBuilder(CALLSITES).build(new int[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 7, 3, 4, 10});
        assertEquals(27, t.totalWeight());
        List<CallTree.Node> roots = t.root().children();
        assertEquals(2, roots.size(), "a.py:main and b.py:main are two frames");
        CallTree.Node main = roots.get(0);
        assertEquals("main", main.function());
        assertEquals("a.py", main.file());
        assertEquals(17, main.total());
        assertEquals(1, main.self());
        assertEquals(1, main.children().size(), "work@5 and work@6 are one node");
        CallTree.Node work = main.children().get(0);
        assertEquals(16, work.total());
        assertEquals(9, work.self());
        assertEquals(6, work.line(), "the line with most samples (11 at line 6 against 5 at line 5)");
        CallTree.Node memcpy = work.children().get(0);
        assertEquals(7, memcpy.total());
        assertEquals(7, memcpy.self());
        assertEquals(FrameKind.NATIVE, memcpy.kind());
        assertEquals(FrameKind.PYTHON, work.kind());
        assertEquals(List.of(main, work, memcpy), memcpy.path());
        assertEquals(10, roots.get(1).total());
        assertEquals(2, t.maxDepth());
        assertEquals(4, t.nodeCount());
    }

    @Test
    void functionTotalsCountARecursiveFunctionsSamplesOnce() {
        // 1 main; 2 main>work; 3 main>work>work (recursion), weights 1, 2, 4; and the fixture's other file
        CallTreeBuilder.Callsites recursive = new CallTreeBuilder.Callsites(
                new int[] {0, 0, 1, 2, 0}, new int[] {0, 1, 2, 2, 5}, new int[] {0, 0, 1, 2, 0}, FRAMES);
        CallTree t = new CallTreeBuilder(recursive).build(new int[] {1, 2, 3, 4}, new long[] {1, 2, 4, 3});
        assertEquals(List.of(
                new CallTree.FunctionTotal("main", "a.py", 1, 7),
                new CallTree.FunctionTotal("work", "a.py", 6, 6), // not 6 + 4: the inner call's samples are the outer's
                new CallTree.FunctionTotal("main", "b.py", 3, 3)), t.functionTotals());
        // the fixture: self adds up to all samples, and every total is at least its self
        CallTree f = new CallTreeBuilder(CALLSITES).build(new int[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 7, 3, 4, 10});
        assertEquals(f.totalWeight(), f.functionTotals().stream().mapToLong(CallTree.FunctionTotal::self).sum());
        assertEquals(new CallTree.FunctionTotal("main", "a.py", 1, 17), f.functionTotals().get(0));
    }

    @Test
    void heavierChildrenComeFirstAndUnknownCallsitesAreSkipped() {
        CallTree t = new CallTreeBuilder(CALLSITES).build(new int[] {6, 1, 99, 0}, new long[] {3, 5, 100, 100});
        assertEquals(8, t.totalWeight());
        assertEquals("a.py", t.root().children().get(0).file());
        assertEquals("b.py", t.root().children().get(1).file());
    }

    @Test
    void aSearchCountsEachSampleOnce() {
        CallTree t = new CallTreeBuilder(CALLSITES).build(new int[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 7, 3, 4, 10});
        CallTree.Matches m = t.matches("MAIN");
        assertEquals(2, m.frames());
        assertEquals(27, m.samples());
        CallTree.Matches files = t.matches("a.py");
        assertEquals(2, files.frames(), "main and work are in a.py");
        assertEquals(17, files.samples(), "work is under main: its samples are not counted again");
        assertEquals(0, t.matches("nothing").frames());
        assertNull(t.find("nothing"));
    }

    @Test
    void theFocusSpansTheWidthAndItsAncestorsStayAbove() {
        CallTree t = new CallTreeBuilder(CALLSITES).build(new int[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 7, 3, 4, 10});
        List<FlameLayout.Cell> all = FlameLayout.layout(t.root(), 270);
        FlameLayout.Cell main = all.get(0);
        assertEquals("main", main.node().function());
        assertEquals(0, main.row());
        assertEquals(170, main.width(), 1e-9, "17 of 27 samples on 270 px");
        FlameLayout.Cell bMain = all.stream().filter(c -> "b.py".equals(c.node().file())).findFirst().orElseThrow();
        assertEquals(170, bMain.x(), 1e-9);
        CallTree.Node work = t.find("work");
        List<FlameLayout.Cell> zoomed = FlameLayout.layout(work, 160);
        assertTrue(zoomed.get(0).ancestor());
        assertSame(t.find("main"), zoomed.get(0).node());
        assertSame(work, zoomed.get(1).node());
        assertEquals(160, zoomed.get(1).width(), 1e-9);
        assertEquals(1, zoomed.get(1).row());
        FlameLayout.Cell leaf = zoomed.get(2);
        assertEquals(70, leaf.width(), 1e-9, "7 of work's 16 samples");
        assertEquals(2, leaf.row());
    }

    @Test
    void frameKindsComeFromFileAndFunctionNames() {
        assertEquals(FrameKind.PYTHON, FrameKind.of("<module>", "<frozen importlib._bootstrap>"));
        assertEquals(FrameKind.PYTHON, FrameKind.of("f", "/usr/lib/python3.11/threading.py"));
        assertEquals(FrameKind.JAVA, FrameKind.of("run", "Thread.java"));
        assertEquals(FrameKind.JAVA, FrameKind.of("java.util.HashMap.get", null));
        assertEquals(FrameKind.NATIVE, FrameKind.of("memcpy", null));
        assertEquals(FrameKind.NATIVE, FrameKind.of("at::native::conv2d", "libtorch_cpu.so"));
        assertEquals("java.util", FrameKind.group(FrameKind.JAVA, "java.util.HashMap.get", null));
        assertEquals("threading.py", FrameKind.group(FrameKind.PYTHON, "f", "/usr/lib/python3.11/threading.py"));
    }
}
