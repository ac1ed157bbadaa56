package dev.throughline.app.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AgentNotesTest {
    @Test
    void oneLinePerAgentThatSaidItsCostAndNothingElse() {
        Map<String, String> meta = Map.of(
                "agent.jvm.42.agent_cpu", "0.5 s CPU setting up, then 0.2 s in 20.0 s of recording = 1.00 % of one core",
                "agent.jvm.42.agent_cpu_ns", "200000000",
                "agent.jvm.7.agent_cpu", "unavailable: this JVM does not measure thread CPU time",
                "agent.python.9.python", "3.12.3",
                "agent.python.9.agent_cpu", "0.1 s CPU in 5.0 s = 2.00 % of one core",
                "source", "throughline attach");
        assertEquals(List.of(
                "JVM agent, pid 42: 0.5 s CPU setting up, then 0.2 s in 20.0 s of recording = 1.00 % of one core",
                "JVM agent, pid 7: unavailable: this JVM does not measure thread CPU time",
                "Python agent, pid 9: 0.1 s CPU in 5.0 s = 2.00 % of one core"), AgentNotes.costs(meta));
    }

    @Test
    void jfrIsNotedOnlyWhereItDidNotRun() {
        Map<String, String> meta = Map.of(
                "agent.jvm.42.jfr", "off (auto): GC pauses from GarbageCollectorMXBean notifications. JFR not started: …",
                "agent.jvm.43.jfr", "on",
                "agent.jvm.44.jfr", "on (auto: JFR had already started in this JVM, so starting it keeps the compiled code)",
                "agent.jvm.45.jfr", "unavailable: JDK 11 < 17; GC pauses from GarbageCollectorMXBean notifications",
                "attach.jfr", "auto");
        assertEquals(List.of(
                "JVM agent, pid 42: off (auto): GC pauses from GarbageCollectorMXBean notifications. JFR not started: …",
                "JVM agent, pid 45: unavailable: JDK 11 < 17; GC pauses from GarbageCollectorMXBean notifications"),
                AgentNotes.jfrOff(meta));
    }
}
