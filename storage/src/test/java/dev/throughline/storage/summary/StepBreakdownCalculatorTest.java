package dev.throughline.storage.summary;

import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.COMMUNICATION;
import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.CPU_OP;
import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.DATALOADER;
import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.KERNEL;
import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.MEMCPY;
import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.MEMSET;
import static dev.throughline.storage.summary.StepBreakdownCalculator.Role.RUNTIME;
import static dev.throughline.storage.summary.StepBreakdownCalculator.UNMATCHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StepBreakdownCalculatorTest {

    /** Adds a runtime call [ls, le) to the Runtime role and the GPU activity it launched. */
    private static void launch(StepBreakdownCalculator c, StepBreakdownCalculator.Role role, long ls, long le,
                               long ds, long de) {
        c.addHostInterval(RUNTIME, ls, le);
        c.addDeviceEvent(role, ds, de, ls, le);
    }

    private static void assertStep(StepBreakdown s, long number, long start, long end, long kernel, long memcpy,
                                   long memset, long comm, long runtime, long dataLoader, long cpu, long other) {
        assertEquals(number, s.stepNumber(), "step number");
        assertEquals(start, s.startNs(), "start");
        assertEquals(end, s.endNs(), "end");
        assertEquals(kernel, s.kernelNs(), "kernel");
        assertEquals(memcpy, s.memcpyNs(), "memcpy");
        assertEquals(memset, s.memsetNs(), "memset");
        assertEquals(comm, s.communicationNs(), "communication");
        assertEquals(runtime, s.runtimeNs(), "runtime");
        assertEquals(dataLoader, s.dataLoaderNs(), "dataloader");
        assertEquals(cpu, s.cpuExecNs(), "cpu exec");
        assertEquals(other, s.otherNs(), "other");
        assertEquals(s.durationNs(), kernel + memcpy + memset + comm + runtime + dataLoader + cpu + other);
    }

    /**
     * Two steps, priority subtraction and GPU work spilling past the host end of step 1.
     *
     * <pre>
     * steps (host)   #1 [0,100)  #2 [100,200)
     * kernels        [10,60) [90,130) launched in #1; [150,170) [182,186) launched in #2
     * memcpy         [40,70) launched in #1;  memset [175,180) launched in #2
     * runtime        [5,8) [30,32) [50,55) | [140,145) [146,147) [148,149)
     * dataloader     [120,135)     cpu ops [0,20) [100,160) [185,190)
     *
     * #1 ends at its last GPU end 130; #2 starts at max(130, 100) = 130 and ends at max(200, 186) = 200.
     * Kernel:  #1 [10,60)+[90,130) = 90           #2 [150,170)+[182,186) = 24
     * Memcpy:  #1 [60,70) = 10 (rest under kernel)
     * Memset:  #2 [175,180) = 5
     * Runtime: #1 [5,8) = 3 ([30,32),[50,55) under kernel)   #2 5+1+1 = 7
     * DataLoader: [120,130) under kernel; #2 [130,135) = 5
     * CPU:     #1 [0,5)+[8,10) = 7     #2 [135,140)+[145,146)+[147,148)+[149,150)+[186,190) = 12
     * Other:   #1 [70,90) = 20         #2 [170,175)+[180,182)+[190,200) = 17
     * </pre>
     */
    @Test
    void priorityAndSpillPastHostEnd() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(2, 100, 200); // out of order on purpose
        c.addStep(1, 0, 100);
        launch(c, KERNEL, 5, 8, 10, 60);
        launch(c, MEMCPY, 30, 32, 40, 70);
        launch(c, KERNEL, 50, 55, 90, 130);
        launch(c, KERNEL, 140, 145, 150, 170);
        launch(c, MEMSET, 146, 147, 175, 180);
        launch(c, KERNEL, 148, 149, 182, 186);
        c.addHostInterval(DATALOADER, 120, 135);
        c.addHostInterval(CPU_OP, 0, 20);
        c.addHostInterval(CPU_OP, 100, 160);
        c.addHostInterval(CPU_OP, 185, 190);

        List<StepBreakdown> steps = c.compute();
        assertEquals(2, steps.size());
        assertStep(steps.get(0), 1, 0, 130, 90, 10, 0, 0, 3, 0, 7, 20);
        assertStep(steps.get(1), 2, 130, 200, 24, 0, 5, 0, 7, 5, 12, 17);

        StepBreakdownCalculator.Average avg = StepBreakdownCalculator.average(steps);
        assertEquals(2, avg.steps());
        assertEquals(100.0, avg.durationNs()); // (130 + 70) / 2
        assertEquals(57.0, avg.kernelNs()); // (90 + 24) / 2
        assertEquals(18.5, avg.otherNs()); // (20 + 17) / 2
    }

    /**
     * Tail removal: the last step with GPU work is dropped when it has fewer than 0.8x the GPU activities of
     * the step before it; steps after the last one with GPU work are always dropped.
     */
    @Test
    void tailStepsAreRemoved() {
        // #1 has 5 kernels, #2 has 3, #3 none: 5 * 0.8 = 4 > 3 -> keep only #1
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(1, 0, 100);
        c.addStep(2, 100, 200);
        c.addStep(3, 200, 300);
        for (int i = 0; i < 5; i++) {
            launch(c, KERNEL, 10 + i, 11 + i, 20 + 10 * i, 25 + 10 * i);
        }
        for (int i = 0; i < 3; i++) {
            launch(c, KERNEL, 110 + i, 111 + i, 120 + 10 * i, 125 + 10 * i);
        }
        List<StepBreakdown> steps = c.compute();
        assertEquals(1, steps.size());
        // #1 [0,100): kernels 5 x 5 = 25, runtime [10,15) = 5, other 70
        assertStep(steps.get(0), 1, 0, 100, 25, 0, 0, 0, 5, 0, 0, 70);

        // #2 with 4 kernels: 4 > 4 is false -> #1 and #2 kept, #3 (no GPU work) dropped
        c = new StepBreakdownCalculator();
        c.addStep(1, 0, 100);
        c.addStep(2, 100, 200);
        c.addStep(3, 200, 300);
        for (int i = 0; i < 5; i++) {
            launch(c, KERNEL, 10 + i, 11 + i, 20 + 10 * i, 25 + 10 * i);
        }
        for (int i = 0; i < 4; i++) {
            launch(c, KERNEL, 110 + i, 111 + i, 120 + 10 * i, 125 + 10 * i);
        }
        steps = c.compute();
        assertEquals(2, steps.size());
        // #2 [100,200): kernels 4 x 5 = 20, runtime [110,114) = 4, other 76
        assertStep(steps.get(1), 2, 100, 200, 20, 0, 0, 0, 4, 0, 0, 76);
    }

    /**
     * The first step starts at the latest end of GPU work not attributed to any step that finished before
     * the first attributed GPU work.
     *
     * <pre>
     * step #7 host [100,200); attributed kernel [150,160) (launch [110,115))
     * unattributed: [60,130) launched at [50,55) before the step; [120,140) launch not in the capture;
     *               [145,170) ends after 150 so it does not count
     * -> start = max(100, 130, 140) = 140, end = max(200, 160) = 200
     * kernel in [140,200): union [60,140) [145,170) -> [145,170) = 25; runtime [110,115) is before 140
     * other = 60 - 25 = 35
     * </pre>
     */
    @Test
    void firstStepStartsAfterEarlierUnattributedGpuWork() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(7, 100, 200);
        launch(c, KERNEL, 110, 115, 150, 160);
        launch(c, KERNEL, 50, 55, 60, 130);
        c.addDeviceEvent(KERNEL, 120, 140, UNMATCHED, UNMATCHED);
        c.addDeviceEvent(KERNEL, 145, 170, UNMATCHED, UNMATCHED);
        List<StepBreakdown> steps = c.compute();
        assertEquals(1, steps.size());
        assertStep(steps.get(0), 7, 140, 200, 25, 0, 0, 0, 0, 0, 0, 35);
    }

    /**
     * A runtime call straddling the end of its step is attributed to no step (its kernel does not extend
     * either step), but the kernel still counts as Kernel time wherever it runs.
     *
     * <pre>
     * #1 [0,100): kernel [20,30) (launch [10,12)); straddling launch [95,105) -> kernel [150,250)
     * #2 [100,200): kernel [120,130) (launch [110,112)); #2 still ends at 200, not 250
     * #1 = [0,100): kernel 10, runtime 2 + [95,100) 5 = 7, other 83
     * #2 = [100,200): kernel 10 + [150,200) 50 = 60, runtime [100,105) 5 + 2 = 7, other 33
     * </pre>
     */
    @Test
    void runtimeStraddlingStepEndIsNotAttributed() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(1, 0, 100);
        c.addStep(2, 100, 200);
        launch(c, KERNEL, 10, 12, 20, 30);
        launch(c, KERNEL, 95, 105, 150, 250); // would end #2 at 250 if it were attributed
        launch(c, KERNEL, 110, 112, 120, 130);
        List<StepBreakdown> steps = c.compute();
        assertEquals(2, steps.size());
        assertStep(steps.get(0), 1, 0, 100, 10, 0, 0, 0, 7, 0, 0, 83);
        assertStep(steps.get(1), 2, 100, 200, 60, 0, 0, 0, 7, 0, 0, 33);
    }

    /**
     * A step whose GPU work all finished before the previous step's adjusted end gets end = start.
     *
     * <pre>
     * #1 host [0,100): kernel launched [10,11) runs [20,250)
     * #2 host [100,200): kernel launched [110,111) runs [150,160) -> start max(250,100) = 250, end max(200,160)
     *    = 200 &lt; 250 -> clamped to 250: an empty step
     * #3 host [200,300): kernel launched [210,211) runs [260,270) -> [250, 300)
     * #1 [0,250): kernel [20,250) 230, runtime [10,11) 1 (the other launches lie under kernels),
     *    other [0,10)+[11,20) = 19
     * #3 [250,300): kernel [260,270) 10, other 40
     * </pre>
     */
    @Test
    void stepEndingBeforeItsStartIsClampedToEmpty() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(1, 0, 100);
        c.addStep(2, 100, 200);
        c.addStep(3, 200, 300);
        launch(c, KERNEL, 10, 11, 20, 250);
        launch(c, KERNEL, 110, 111, 150, 160);
        launch(c, KERNEL, 210, 211, 260, 270);
        List<StepBreakdown> steps = c.compute();
        assertEquals(3, steps.size());
        assertStep(steps.get(0), 1, 0, 250, 230, 0, 0, 0, 1, 0, 0, 19);
        assertStep(steps.get(1), 2, 250, 250, 0, 0, 0, 0, 0, 0, 0, 0);
        assertStep(steps.get(2), 3, 250, 300, 10, 0, 0, 0, 0, 0, 0, 40);
    }

    /**
     * Without any GPU activity attributed to a step, the host ranges are used as they are, and no tail
     * step is removed.
     */
    @Test
    void cpuOnlyCaptureKeepsHostSteps() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(1, 0, 50);
        c.addStep(2, 60, 100);
        c.addStep(3, 100, 130);
        c.addHostInterval(DATALOADER, 0, 10);
        c.addHostInterval(CPU_OP, 5, 40); // [10,40) left after DataLoader
        c.addHostInterval(CPU_OP, 70, 120); // spans #2 and #3
        c.addHostInterval(RUNTIME, 45, 48);
        List<StepBreakdown> steps = c.compute();
        assertEquals(3, steps.size());
        assertStep(steps.get(0), 1, 0, 50, 0, 0, 0, 0, 3, 10, 30, 7);
        assertStep(steps.get(1), 2, 60, 100, 0, 0, 0, 0, 0, 0, 30, 10);
        assertStep(steps.get(2), 3, 100, 130, 0, 0, 0, 0, 0, 0, 20, 10);
    }

    /** Without ProfilerStep slices the plugin uses one step "0" over the host span. */
    @Test
    void noStepsFallsBackToHostSpan() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addHostInterval(CPU_OP, 10, 50);
        c.addHostInterval(DATALOADER, 60, 70);
        List<StepBreakdown> steps = c.compute();
        assertEquals(1, steps.size());
        // [10,70): cpu 40, dataloader 10, other [50,60) = 10
        assertStep(steps.get(0), 0, 10, 70, 0, 0, 0, 0, 0, 10, 40, 10);

        c.setHostSpan(0, 100);
        assertStep(c.compute().get(0), 0, 0, 100, 0, 0, 0, 0, 0, 10, 40, 50);

        assertTrue(new StepBreakdownCalculator().compute().isEmpty());
    }

    /**
     * Communication ranks below Kernel and above Runtime.
     *
     * <pre>
     * step [0,100); nccl kernel [0,50) and compute kernel [25,75), both launched at [1,2) ([0,1) and [1,2)
     * are runtime); host nccl:all_reduce op [80,90)
     * kernel [25,75) = 50; communication [0,25) + [80,90) = 35; runtime: under the nccl kernel -> 0;
     * other [75,80) + [90,100) = 15
     * </pre>
     */
    @Test
    void communicationBetweenKernelAndRuntime() {
        StepBreakdownCalculator c = new StepBreakdownCalculator();
        c.addStep(1, 0, 100);
        launch(c, COMMUNICATION, 1, 2, 0, 50);
        launch(c, KERNEL, 1, 2, 25, 75);
        c.addHostInterval(COMMUNICATION, 80, 90);
        List<StepBreakdown> steps = c.compute();
        assertStep(steps.get(0), 1, 0, 100, 50, 0, 0, 35, 0, 0, 0, 15);
    }

    @Test
    void namesThePluginRecognises() {
        assertTrue(StepBreakdownCalculator.isDataLoaderName(
                "enumerate(DataLoader)#_MultiProcessingDataLoaderIter.__next__"));
        assertFalse(StepBreakdownCalculator.isDataLoaderName("enumerate(DataLoader)#_SingleProcessDataLoaderIter"));
        assertTrue(StepBreakdownCalculator.isDataLoaderName("enumerate(DataPipe)#ShardingFilter"));
        assertTrue(StepBreakdownCalculator.isCommunicationOpName("nccl:all_reduce"));
        assertTrue(StepBreakdownCalculator.isCommunicationOpName("gloo:broadcast"));
        assertFalse(StepBreakdownCalculator.isCommunicationOpName("nccl:all_to_all"));
    }

    /** On random captures, every kept step's columns add up to its duration and steps do not overlap. */
    @Test
    void randomCapturesPartitionEachStep() {
        Random rnd = new Random(7);
        StepBreakdownCalculator.Role[] device = {KERNEL, MEMCPY, MEMSET, COMMUNICATION};
        StepBreakdownCalculator.Role[] host = {RUNTIME, DATALOADER, CPU_OP, COMMUNICATION};
        for (int round = 0; round < 100; round++) {
            StepBreakdownCalculator c = new StepBreakdownCalculator();
            long t = 0;
            int nSteps = 1 + rnd.nextInt(6);
            for (int i = 0; i < nSteps; i++) {
                long len = 50 + rnd.nextInt(200);
                c.addStep(i, t, t + len);
                t += len + rnd.nextInt(20);
            }
            for (int i = 0; i < 60; i++) {
                long ls = rnd.nextInt((int) t);
                long le = ls + rnd.nextInt(10);
                long ds = ls + rnd.nextInt(100);
                long de = ds + rnd.nextInt(80);
                if (rnd.nextInt(5) == 0) {
                    c.addDeviceEvent(device[rnd.nextInt(4)], ds, de, UNMATCHED, UNMATCHED);
                } else {
                    c.addDeviceEvent(device[rnd.nextInt(4)], ds, de, ls, le);
                    c.addHostInterval(RUNTIME, ls, le);
                }
                long hs = rnd.nextInt((int) t);
                c.addHostInterval(host[rnd.nextInt(4)], hs, hs + rnd.nextInt(40));
            }
            List<StepBreakdown> steps = c.compute();
            assertFalse(steps.isEmpty());
            long prevEnd = Long.MIN_VALUE;
            for (StepBreakdown s : steps) {
                assertTrue(s.startNs() >= prevEnd);
                assertTrue(s.endNs() >= s.startNs());
                prevEnd = s.endNs();
                assertEquals(s.durationNs(), s.kernelNs() + s.memcpyNs() + s.memsetNs() + s.communicationNs()
                        + s.runtimeNs() + s.dataLoaderNs() + s.cpuExecNs() + s.otherNs());
            }
        }
    }
}
