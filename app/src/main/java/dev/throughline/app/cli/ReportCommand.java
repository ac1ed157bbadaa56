package dev.throughline.app.cli;

import dev.throughline.app.report.Report;
import dev.throughline.app.report.ReportJson;
import dev.throughline.app.report.ReportText;
import dev.throughline.storage.CaptureReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Print what limits the job in a capture: findings, steps, GPUs, top kernels and ops.",
            "CAPTURE may also be a trace file; it is imported into a temporary capture first."})
final class ReportCommand implements Callable<Integer> {
    /** The bundled sample, relative to the project root (the launcher runs from there). */
    static final Path SAMPLE = Path.of("samples", "resnet50-sample.tlcap");

    @Parameters(index = "0", paramLabel = "CAPTURE", description = "a .tlcap capture, or a trace to import")
    Path capture;

    @Option(names = "--json", description = "print the stable JSON contract throughline.report/1 (docs/report-json.md)")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return report(capture, json, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    int reportSample(PrintWriter out, PrintWriter err) throws Exception {
        Path sample = Path.of(System.getProperty("throughline.home", ".")).resolve(SAMPLE);
        if (!Files.exists(sample)) {
            throw new UserError("the bundled sample capture " + sample + " is missing; run from the project root,"
                    + " or give a capture: throughline report FILE");
        }
        out.println("(no command given: reporting on the bundled sample; 'throughline --help' lists the commands)");
        return report(sample, false, out, err);
    }

    static int report(Path file, boolean json, PrintWriter out, PrintWriter err) throws Exception {
        if (TraceImport.isCapture(file)) {
            print(file, json, out);
            return 0;
        }
        Path temp = Files.createTempFile("throughline-report-", ".tlcap");
        Files.delete(temp);
        try {
            TraceImport.run(file, temp, false, err);
            print(temp, json, out);
        } finally {
            Files.deleteIfExists(temp);
        }
        return 0;
    }

    private static void print(Path file, boolean json, PrintWriter out) throws Exception {
        try (CaptureReader reader = CaptureReader.open(file)) {
            Report report = Report.of(reader);
            if (json) {
                ReportJson.write(report, out);
                out.println();
            } else {
                ReportText.write(report, out);
            }
            out.flush();
        }
    }
}
