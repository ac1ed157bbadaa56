package dev.throughline.agent;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's own CPU: counted on its named threads only, by role, and said with what it leaves out. */
class AgentCpuTest {
    @Test
    void countsTheAgentsNamedThreadsAndNoOthers() throws Exception {
        CountDownLatch burnt = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread agent = new Thread(() -> burnThenWait(200, burnt, release), "throughline-agent-sender");
        Thread program = new Thread(() -> burnThenWait(200, burnt, release), "program-worker");
        agent.start();
        program.start();
        try {
            assertTrue(burnt.await(30, TimeUnit.SECONDS));
            long programNs = ManagementFactory.getThreadMXBean().getThreadCpuTime(program.getId());
            AgentCpu.Reading r = AgentCpu.read();
            assertNotNull(r, "thread CPU time is measured on HotSpot/Linux");
            long sender = r.byRole.get("sender");
            assertTrue(sender >= 150_000_000L, "the agent thread burnt ~200 ms of CPU: " + sender);
            assertFalse(r.byRole.containsKey("program-worker"));
            assertEquals(r.byRole.values().stream().mapToLong(Long::longValue).sum(), r.totalNs);
            assertTrue(r.totalNs < sender + programNs, "the program's thread is not counted");

            AgentCpu.Reading none = new AgentCpu.Reading(0, java.util.Map.of());
            AgentCpu.Reading recording = r.since(none);
            assertEquals(r.totalNs, recording.totalNs, "since nothing: all of it");
            assertEquals(0, r.since(r).totalNs, "since itself: nothing");
            String text = AgentCpu.describe(none, recording, 2_000_000_000L);
            assertTrue(text.matches("0\\.000 s CPU setting up .*, then \\d+\\.\\d{3} s in 2\\.0 s of recording ="
                    + " \\d+\\.\\d\\d % of one core \\(.*sender \\d+\\.\\d{3} s.*\\); not counted: .*"), text);
        } finally {
            release.countDown();
            agent.join();
            program.join();
        }
    }

    @Test
    void saysSoWhereTheJvmDoesNotMeasure() {
        assertTrue(AgentCpu.describe(null, null, 1).startsWith("unavailable: "));
    }

    /** Spins until this thread has used {@code ms} of CPU, then waits (alive, so that its clock can be read). */
    private static void burnThenWait(long ms, CountDownLatch burnt, CountDownLatch release) {
        var mx = ManagementFactory.getThreadMXBean();
        long x = 0;
        while (mx.getCurrentThreadCpuTime() < ms * 1_000_000L) {
            x += System.nanoTime() % 7;
        }
        burnt.countDown();
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (x == 42) {
            System.out.print(""); // keeps the loop's work
        }
    }
}
