package dev.throughline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The versioned DDL of a capture, read from resources. */
public final class CaptureSchema {
    /** The schema this build writes, and the newest it reads. */
    public static final int CURRENT_VERSION = 1;

    /** meta keys with a fixed meaning. */
    public static final String META_SCHEMA_VERSION = "schema_version";
    public static final String META_CLEAN_CLOSE = "clean_close";
    public static final String META_TOOL_VERSION = "tool_version";
    public static final String META_CREATED = "created_utc";
    public static final String META_SOURCE = "source";
    public static final String META_SOURCE_FORMAT = "source_format";
    /** Every stored time is relative to this absolute ns value; meta times are absolute. */
    public static final String META_TIME_ORIGIN = "time_origin_ns";
    public static final String META_SPAN_START = "span_start_ns";
    public static final String META_SPAN_END = "span_end_ns";
    public static final String META_INTEGRITY = "integrity_check";
    public static final String META_REDACTION = "redaction";
    public static final String TOOL_VERSION = "0.1.0";

    private CaptureSchema() {
    }

    static void createTables(Connection c) throws SQLException {
        run(c, "schema-v" + CURRENT_VERSION + ".sql");
        try (var ps = c.prepareStatement("INSERT INTO category(id, name) VALUES (?, ?)")) {
            for (Category cat : Category.values()) {
                ps.setInt(1, cat.id);
                ps.setString(2, cat.label);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void createIndexes(Connection c) throws SQLException {
        run(c, "index-v" + CURRENT_VERSION + ".sql");
    }

    private static void run(Connection c, String resource) throws SQLException {
        String ddl = stripComments(resource(resource));
        try (Statement st = c.createStatement()) {
            for (String statement : ddl.split(";")) {
                String sql = statement.trim();
                if (!sql.isEmpty()) {
                    st.execute(sql);
                }
            }
        }
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            int dash = line.indexOf("--");
            out.append(dash >= 0 ? line.substring(0, dash) : line).append('\n');
        }
        return out.toString();
    }

    static String resource(String name) {
        try (InputStream in = CaptureSchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
