package dev.throughline.app.cli;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.exporter.chrome.ChromeTraceExporter;
import dev.throughline.storage.exporter.collapsed.CollapsedStacksExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a capture to another format.",
            "chrome-trace: Trace Event Format JSON that Perfetto and chrome://tracing load (Kineto category names kept);",
            "collapsed: the CPU samples as collapsed stacks (root;...;leaf count), for flamegraph.pl or speedscope.",
            "An output name ending in .gz is gzip-compressed; a failed export leaves nothing behind."})
final class ExportCommand implements Callable<Integer> {
    enum Format { chrome_trace, collapsed }

    @Parameters(index = "0", paramLabel = "CAPTURE")
    Path capture;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "output format: chrome-trace or collapsed")
    Format format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT")
    Path output;

    @Option(names = "--force", description = "overwrite an existing output file")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output) && !force) {
            throw new UserError(output + " already exists (use --force to overwrite)");
        }
        try (CaptureReader reader = CaptureReader.open(capture)) {
            for (String w : reader.warnings()) {
                spec.commandLine().getErr().println("warning: " + w);
            }
            // temp file + move: nothing half-written
            switch (format) {
                case chrome_trace -> new ChromeTraceExporter().export(reader, output, force);
                case collapsed -> {
                    CollapsedStacksExporter.Result r = new CollapsedStacksExporter().export(reader, output, force);
                    if (r.samples() == 0) {
                        spec.commandLine().getErr().println("warning: " + capture + " has no CPU samples: "
                                + output + " is empty (record with --sample-hz above 0)");
                    }
                }
            }
        }
        spec.commandLine().getOut().println(output);
        return 0;
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            switch (value) {
                case "chrome-trace":
                    return Format.chrome_trace;
                case "collapsed":
                    return Format.collapsed;
                default:
                    throw new picocli.CommandLine.TypeConversionException(
                            "unknown format '" + value + "' (expected: chrome-trace or collapsed)");
            }
        }
    }
}
