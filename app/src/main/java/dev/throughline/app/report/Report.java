package dev.throughline.app.report;

import dev.throughline.app.analysis.CaptureOverview;
import dev.throughline.app.analysis.Finding;
import dev.throughline.app.analysis.Rules;
import dev.throughline.storage.CaptureReader;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** A capture's overview and its findings: what {@code report} prints and the workbench shows first. */
public record Report(Path capture, CaptureOverview overview, List<Finding> findings, List<String> warnings) {
    public static Report of(CaptureReader reader) throws SQLException {
        CaptureOverview overview = CaptureOverview.load(reader);
        return new Report(reader.file(), overview, Rules.evaluate(overview), reader.warnings());
    }
}
