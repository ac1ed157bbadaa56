package dev.throughline.app.cli;

import dev.throughline.app.recording.LocalProcesses;
import dev.throughline.app.recording.LocalProcesses.Row;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List the local processes Throughline can profile: JVMs (attach) and",
            "Python processes (record). AGENT says whether a Throughline agent is in it:",
            "for a JVM its recording property, read through attach only where the JVM's",
            "attach listener already runs (ps never signals a JVM), else the agent on its",
            "command line or in JAVA_TOOL_OPTIONS; for Python, THROUGHLINE_TOKEN in its",
            "environment. '?': not readable (another user's process)."})
final class PsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = LocalProcesses.list();
        out.printf("%8s  %-6s  %-6s  %s%n", "PID", "KIND", "AGENT", "NAME");
        for (Row r : rows) {
            out.printf("%8d  %-6s  %-6s  %s%n", r.pid(), r.kind(), r.agent(), r.name());
        }
        return 0;
    }
}
