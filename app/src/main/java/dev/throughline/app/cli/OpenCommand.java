package dev.throughline.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Open captures or traces in the workbench window (one tab each).",
            "Traces (Chrome / Kineto JSON, .json.gz) are imported into a temporary capture first.",
            "Needs a display; without one, use 'throughline report FILE'."})
final class OpenCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "captures (.tlcap) or traces to open")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!displayAvailable()) {
            throw new UserError("no display found (DISPLAY is not set): the workbench needs a graphical session;"
                    + " 'throughline report FILE' prints the findings as text");
        }
        // the FX classes load only here, so the text commands never need them
        dev.throughline.app.ui.Workbench.launch(files);
        return 0;
    }

    /** An X11 or Wayland display, and no request to stay headless. */
    static boolean displayAvailable() {
        if (Boolean.getBoolean("java.awt.headless") || Boolean.getBoolean("throughline.headless")) {
            return false;
        }
        String x = System.getenv("DISPLAY");
        String wayland = System.getenv("WAYLAND_DISPLAY");
        return x != null && !x.isBlank() || wayland != null && !wayland.isBlank();
    }
}
