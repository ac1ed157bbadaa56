package dev.throughline.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry points: {@code -javaagent:throughline-jvm-agent.jar[=OPTIONS]} ({@link #premain}) and dynamic attach
 * ({@link #agentmain}); OPTIONS in {@link AgentArgs}. Both return at once: the recording runs on its own daemon
 * thread. Nothing is ever thrown into the host: if the agent cannot start, one warning line on stderr and the
 * program runs unprofiled.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void premain(String args, Instrumentation inst) {
        launch(args, inst, true);
    }

    public static void agentmain(String args, Instrumentation inst) {
        launch(args, inst, false);
    }

    private static void launch(String text, Instrumentation inst, boolean atStartup) {
        try {
            AgentArgs args = AgentArgs.parse(text, System.getenv());
            if (args.stop) {
                Recording.stopCurrent();
            } else {
                Recording.start(args, inst, atStartup);
            }
        } catch (Throwable t) {
            System.err.println("throughline agent: warning: not recording: "
                    + (t.getMessage() == null ? t.toString() : t.getMessage())
                    + " (the program runs unprofiled)");
        }
    }
}
