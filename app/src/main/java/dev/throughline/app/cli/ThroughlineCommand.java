package dev.throughline.app.cli;

import dev.throughline.storage.CaptureFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The root command. With no subcommand it opens the workbench on the bundled sample (a text report without a display). */
@Command(name = "throughline", mixinStandardHelpOptions = true, version = "throughline 0.1.0",
        description = "ML performance profiling workbench: import traces into captures, report the bottlenecks.",
        subcommands = {OpenCommand.class, ImportCommand.class, RecordCommand.class, AttachCommand.class, PsCommand.class,
            ReportCommand.class, ExportCommand.class, QueryCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "With no command: open the workbench on the bundled sample capture (samples/resnet50-sample.tlcap),",
            "or, without a display, report on it as text.",
            "Exit codes: 0 ok, 2 bad input or usage, 1 internal error."})
public final class ThroughlineCommand implements Callable<Integer> {
    /** Exit code for anything the user can fix: a bad file, an existing output, a usage error. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (OpenCommand.displayAvailable()) {
            OpenCommand open = new OpenCommand();
            open.files.add(Path.of(System.getProperty("throughline.home", ".")).resolve(ReportCommand.SAMPLE));
            return open.call();
        }
        spec.commandLine().getOut().println("(no display found: printing the report instead of opening the workbench)");
        return new ReportCommand().reportSample(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ThroughlineCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof CaptureFormatException || e instanceof UserError ? USER_ERROR : 1);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("throughline: " + ex.getMessage());
            err.println("Try 'throughline " + (ex.getCommandLine().getCommandName().equals("throughline") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CaptureFormatException || ex instanceof UserError) {
                err.println("throughline: " + ex.getMessage());
                return USER_ERROR;
            }
            err.println("throughline: internal error: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
