package dev.throughline.app.cli;

import dev.throughline.app.report.Units;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a trace into a capture (.tlcap).",
            "Formats: Chrome Trace Event JSON / PyTorch profiler (Kineto) traces (.json or .json.gz),",
            "and Nsight Systems SQLite exports (nsys export --type sqlite).",
            "Without -o the capture is written next to the source (or in the working directory) as NAME.tlcap."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the trace to import")
    Path source;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tlcap", description = "where to write the capture")
    Path output;

    @Option(names = "--force", description = "overwrite an existing output file")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path target = output != null ? output : TraceImport.defaultOutput(source);
        TraceImport.run(source, target, force, err);
        try (CaptureReader reader = CaptureReader.open(target)) {
            out.println(target);
            Map<Category, Long> counts = reader.categoryCounts();
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long lost = reader.loss().stream().mapToLong(l -> l.count()).sum();
            out.printf("%,d slices over %s · %,d kernels · %,d steps · %,d events not imported (see loss)%n", total,
                    Units.duration(reader.spanNs()), counts.getOrDefault(Category.KERNEL, 0L),
                    counts.getOrDefault(Category.STEP, 0L), lost);
            StringBuilder line = new StringBuilder();
            for (Map.Entry<Category, Long> e : counts.entrySet()) {
                line.append(line.length() == 0 ? "" : " · ").append(e.getKey().label).append(' ')
                        .append(String.format("%,d", e.getValue()));
            }
            out.println(line);
        }
        return 0;
    }
}
