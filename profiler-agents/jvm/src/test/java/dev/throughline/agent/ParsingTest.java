package dev.throughline.agent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's option string and async-profiler's collapsed output. */
class ParsingTest {
    @Test
    void optionsWithEnvironmentFallbacks() {
        AgentArgs a = AgentArgs.parse("addr=127.0.0.1:4000,token=T,event=wall,interval=5ms,duration=30s,out=/tmp/x.tlcap",
                Map.of());
        assertEquals("127.0.0.1", a.host);
        assertEquals(4000, a.port);
        assertEquals("T", a.token);
        assertEquals("wall", a.event);
        assertEquals(5_000_000L, a.intervalNs);
        assertEquals(30_000_000_000L, a.durationNs);
        assertEquals("/tmp/x.tlcap", a.out);
        assertEquals("auto", a.jfr, "JFR decided per JVM unless asked");
        assertEquals("off", AgentArgs.parse("addr=h:1,token=x,jfr=off", Map.of()).jfr);
        assertEquals("on", AgentArgs.parse("addr=h:1,token=x,jfr=on", Map.of()).jfr);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentArgs.parse("addr=h:1,token=x,jfr=no", Map.of()))
                .getMessage().contains("jfr must be auto, on or off, was no"));

        AgentArgs env = AgentArgs.parse("", Map.of("THROUGHLINE_ADDR", "127.0.0.1:5", "THROUGHLINE_TOKEN", "E"));
        assertEquals(5, env.port);
        assertEquals("E", env.token);
        assertEquals("cpu", env.event, "the default engine");
        assertEquals(0, env.durationNs, "until the host exits");

        assertTrue(AgentArgs.parse("stop", Map.of()).stop);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentArgs.parse("token=x", Map.of()))
                .getMessage().contains("THROUGHLINE_ADDR"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentArgs.parse("addr=h:1,token=x,event=cycles", Map.of()))
                .getMessage().contains("cpu, ctimer, itimer, wall"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentArgs.parse("addr=h:1,token=x,duration=soon", Map.of()))
                .getMessage().contains("duration"));
    }

    @Test
    void collapsedStacksGiveThreadFramesRootFirstAndCounts() {
        List<CollapsedStacks.Stack> stacks = CollapsedStacks.parse(String.join("\n",
                "[main tid=3662];T.main;java/lang/System.nanoTime;os::javaTimeNanos;clock_gettime@@GLIBC_2.17;[vdso] 12",
                "[C2 CompilerThre tid=3674];start_thread;C2Compiler::compile_method 3",
                "no_thread_frame;leaf 1",
                "garbage", ""));
        assertEquals(3, stacks.size());
        CollapsedStacks.Stack main = stacks.get(0);
        assertEquals(3662, main.osTid);
        assertEquals("main", main.threadName);
        assertEquals(12, main.count);
        assertArrayEquals(new String[] {"T.main", "java.lang.System.nanoTime", "os::javaTimeNanos",
            "clock_gettime@@GLIBC_2.17", "[vdso]"}, main.frames);
        assertEquals("C2 CompilerThre", stacks.get(1).threadName);
        assertEquals(-1, stacks.get(2).osTid);
        assertEquals("java.util.HashMap$Node.getKey", CollapsedStacks.frameName("java/util/HashMap$Node.getKey"));
        assertEquals("/usr/lib/libc.so.6", CollapsedStacks.frameName("/usr/lib/libc.so.6"));
    }

    @Test
    void processNameIsTheMainClassOrJar() {
        assertEquals("com.acme.Service", Recording.processName("com.acme.Service --port 80"));
        assertEquals("svc.jar", Recording.processName("/opt/app/svc.jar --port 80"));
        assertEquals("java", Recording.processName(""));
    }
}
