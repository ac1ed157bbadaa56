package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.CaptureFormatException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A read-only connection to an {@code nsys export --type sqlite} file and what its schema holds: which
 * tables and columns exist (they vary by Nsight Systems version), the {@code StringIds} table (read
 * lazily, cached), the {@code ENUM_*} tables of newer exports. Queries name only columns that exist:
 * {@link #select} puts {@code NULL} in place of a missing one, so one reader serves every schema.
 */
final class NsysDatabase implements AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    final Path file;
    private final Connection db;
    /** table name → its columns, both case-insensitive as SQLite's names are. */
    private final Map<String, Set<String>> tables;
    private final Map<Long, String> strings = new HashMap<>();
    private PreparedStatement stringQuery;
    private long missingStrings;

    private NsysDatabase(Path file, Connection db, Map<String, Set<String>> tables) {
        this.file = file;
        this.db = db;
        this.tables = tables;
    }

    /** Opens {@code file} read-only, or says why it is not a SQLite database we can read. */
    static NsysDatabase open(Path file, String expected) throws CaptureFormatException {
        checkHeader(file, expected);
        Connection db;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setOpenMode(SQLiteOpenMode.READONLY);
            db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new CaptureFormatException(file, "cannot open as SQLite: " + oneLine(e.getMessage()) + "; expected "
                    + expected, e);
        }
        try {
            Map<String, Set<String>> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            List<String> names = new ArrayList<>();
            try (Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                try (Statement st = db.createStatement();
                     ResultSet rs = st.executeQuery("PRAGMA table_info(" + quote(name) + ")")) {
                    while (rs.next()) {
                        columns.add(rs.getString("name"));
                    }
                }
                tables.put(name, Collections.unmodifiableSet(columns));
            }
            return new NsysDatabase(file, db, tables);
        } catch (SQLException e) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // already failing
            }
            throw new CaptureFormatException(file, "not a readable SQLite database (" + oneLine(e.getMessage())
                    + "); expected " + expected, e);
        }
    }

    private static void checkHeader(Path file, String expected) throws CaptureFormatException {
        if (!Files.exists(file)) {
            throw new CaptureFormatException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CaptureFormatException(file, "not a regular file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SQLITE_MAGIC.length);
        } catch (IOException e) {
            throw new CaptureFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (head.length == 0) {
            throw new CaptureFormatException(file, "empty file (0 bytes); expected " + expected);
        }
        for (int i = 0; i < SQLITE_MAGIC.length; i++) {
            if (i >= head.length || head[i] != SQLITE_MAGIC[i]) {
                throw new CaptureFormatException(file, "not a SQLite database (byte " + i
                        + " differs from the header 'SQLite format 3'); expected " + expected);
            }
        }
    }

    Set<String> tableNames() {
        return tables.keySet();
    }

    boolean has(String table) {
        return tables.containsKey(table);
    }

    boolean has(String table, String column) {
        Set<String> columns = tables.get(table);
        return columns != null && columns.contains(column);
    }

    /** The first of {@code candidates} that {@code table} has, or null. */
    String firstColumn(String table, String... candidates) {
        for (String c : candidates) {
            if (has(table, c)) {
                return c;
            }
        }
        return null;
    }

    /**
     * {@code SELECT c1, c2, … FROM table [rest]} where a column the table lacks reads as {@code NULL}; a
     * column written {@code "x.y"} is taken as is (for joins, with {@code rest} supplying them).
     */
    String select(String table, String alias, List<String> columns, String rest) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String c = columns.get(i);
            if (c.indexOf('.') >= 0 || c.indexOf('(') >= 0) {
                sb.append(c);
            } else if (has(table, c)) {
                sb.append(alias == null ? "" : alias + ".").append(quote(c));
            } else {
                sb.append("NULL");
            }
        }
        sb.append(" FROM ").append(quote(table));
        if (alias != null) {
            sb.append(' ').append(alias);
        }
        if (rest != null && !rest.isEmpty()) {
            sb.append(' ').append(rest);
        }
        return sb.toString();
    }

    /** A column reference that reads as {@code NULL} where the table lacks it. */
    String column(String table, String alias, String column) {
        return has(table, column) ? (alias == null ? "" : alias + ".") + quote(column) : "NULL";
    }

    Statement statement() throws SQLException {
        Statement st = db.createStatement();
        st.setFetchSize(4096);
        return st;
    }

    long count(String table) throws SQLException {
        if (!has(table)) {
            return 0;
        }
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(table))) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** {@code StringIds.value} of {@code id}, or null when the table or the id is missing. */
    String string(long id) throws SQLException {
        String cached = strings.get(id);
        if (cached != null) {
            return cached;
        }
        if (!has("StringIds")) {
            missingStrings++;
            return null;
        }
        if (stringQuery == null) {
            stringQuery = db.prepareStatement("SELECT value FROM StringIds WHERE id = ?");
        }
        stringQuery.setLong(1, id);
        try (ResultSet rs = stringQuery.executeQuery()) {
            String value = rs.next() ? rs.getString(1) : null;
            if (value == null) {
                missingStrings++;
                return null;
            }
            strings.put(id, value);
            return value;
        }
    }

    /** References to string ids that the file does not hold (the rows were kept, with a placeholder name). */
    long missingStrings() {
        return missingStrings;
    }

    /**
     * The labels of an {@code ENUM_*} table (newer exports: {@code id, name, label}), id → label (or name);
     * empty when the file has no such table.
     */
    Map<Long, String> enumLabels(String table) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        if (!has(table) || !has(table, "id")) {
            return out;
        }
        String label = has(table, "label") ? "label" : has(table, "name") ? "name" : null;
        if (label == null) {
            return out;
        }
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, " + quote(label) + " FROM " + quote(table))) {
            while (rs.next()) {
                String v = rs.getString(2);
                if (v != null) {
                    out.put(rs.getLong(1), v);
                }
            }
        }
        return out;
    }

    /** The {@code name} → {@code id} of an {@code ENUM_*} table; empty when absent. */
    Map<String, Long> enumIds(String table) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        if (!has(table, "id") || !has(table, "name")) {
            return out;
        }
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM " + quote(table))) {
            while (rs.next()) {
                if (rs.getString(2) != null) {
                    out.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        return out;
    }

    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    @Override
    public void close() {
        try {
            if (stringQuery != null) {
                stringQuery.close();
            }
            db.close();
        } catch (SQLException ignored) {
            // read-only: nothing to lose
        }
    }
}
