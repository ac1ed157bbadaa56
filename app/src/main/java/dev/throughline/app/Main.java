package dev.throughline.app;

import dev.throughline.app.cli.ThroughlineCommand;
import picocli.CommandLine;

/** Entry point of {@code ./throughline}. Not a JavaFX Application subclass, on purpose (see STACK.md). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(ThroughlineCommand.run(args));
    }
}
