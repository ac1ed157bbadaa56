package dev.throughline.app.cli;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.exporter.chrome.ChromeTraceExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a capture to another format.",
            "chrome-trace: Trace Event Format JSON that Perfetto and chrome://tracing load (Kineto category names kept);",
            "an output name ending in .gz is gzip-compressed."})
final class ExportCommand implements Callable<Integer> {
    enum Format { chrome_trace }

    @Parameters(index = "0", paramLabel = "CAPTURE")
    Path capture;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "output format: chrome-trace")
    Format format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.json")
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
            new ChromeTraceExporter().export(reader, output, force); // temp file + move: nothing half-written
        }
        spec.commandLine().getOut().println(output);
        return 0;
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            if (value.equals("chrome-trace")) {
                return Format.chrome_trace;
            }
            throw new picocli.CommandLine.TypeConversionException("unknown format '" + value + "' (expected: chrome-trace)");
        }
    }
}
