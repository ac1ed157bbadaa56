package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.Category;
import dev.throughline.storage.importer.chrome.ChromeCategories;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code NVTX_EVENTS}: push/pop ranges → {@code user} slices on the thread's "NVTX" row, nested; start/end
 * ranges (which may overlap and end on another thread) → the process's "NVTX start/end ranges" row, one
 * lane (depth) per overlap; marks → instants; category, domain and thread-name events → consumed as
 * metadata (they name what the ranges refer to). A range's name is its {@code text} or {@code textId};
 * args: {@code cat=nvtx}, {@code domain}, {@code category}, {@code color}, {@code payload}, {@code json}.
 * A push/pop range named {@code ProfilerStep#N} (PyTorch's step annotation) is a step, as in the Kineto
 * importer.
 */
final class NvtxImport extends TableImport {
    static final String TABLE = "NVTX_EVENTS";

    private final Nesting nesting = new Nesting();
    private final Map<Integer, List<Long>> lanes = new HashMap<>();
    private final Map<Long, String> domains = new HashMap<>();
    private final Map<String, String> categories = new HashMap<>();
    private final ArgSet args = new ArgSet();

    NvtxImport(Context c) {
        super(c);
    }

    /** Domains, categories and thread names first: the ranges refer to them. */
    void metadata() throws SQLException {
        if (!db.has(TABLE) || !db.has(TABLE, "eventType")) {
            return;
        }
        String sql = db.select(TABLE, null, List.of("eventType", "text", "textId", "domainId", "category", "globalTid"),
                "WHERE eventType IN (" + enums.nvtxCategory + ", " + enums.nvtxThread + ", " + enums.nvtxDomainCreate
                        + ", " + enums.nvtxDomainDestroy + ")");
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                tally.metadata++;
                long type = rs.getLong(1);
                String text = text(rs, 2, 3);
                long domain = rs.getLong(4);
                long category = rs.getLong(5);
                boolean noCategory = rs.wasNull();
                long tid = rs.getLong(6);
                boolean noTid = rs.wasNull();
                if (type == enums.nvtxDomainCreate && text != null) {
                    domains.put(domain, text);
                } else if (type == enums.nvtxCategory && text != null && !noCategory) {
                    categories.put(domain + ":" + category, text);
                } else if (type == enums.nvtxThread && !noTid) {
                    entities.nvtxThreadName(tid, text);
                }
            }
        }
    }

    void ranges() throws SQLException {
        if (!db.has(TABLE)) {
            return;
        }
        String where = db.has(TABLE, "eventType") ? "WHERE eventType IS NULL OR eventType NOT IN (" + enums.nvtxCategory
                + ", " + enums.nvtxThread + ", " + enums.nvtxDomainCreate + ", " + enums.nvtxDomainDestroy + ")" : "";
        String sql = db.select(TABLE, null, List.of("start", "end", "eventType", "text", "textId", "globalTid",
                "domainId", "category", "color", "uint64Value", "int64Value", "doubleValue", "uint32Value",
                "int32Value", "floatValue", "jsonText", "jsonTextId"), where + " ORDER BY 1, 2 DESC");
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                long start = rs.getLong(1);
                boolean noStart = rs.wasNull();
                long end = rs.getLong(2);
                boolean noEnd = rs.wasNull();
                long type = rs.getLong(3);
                boolean noType = rs.wasNull();
                String name = text(rs, 4, 5);
                if (name == null) {
                    name = "";
                }
                long globalTid = rs.getLong(6);
                boolean noThread = rs.wasNull();
                boolean mark = noType ? noEnd : type == enums.nvtxMark;
                boolean startEnd = !noType && (type == enums.nvtxStartEnd || type == enums.nvtxtStartEnd);
                boolean pushPop = noType ? !noEnd : type == enums.nvtxPushPop || type == enums.nvtxtPushPop;
                if (!mark && !startEnd && !pushPop) {
                    tally.lose("NVTX event of type " + type + " (not a range or a mark)", TABLE + " row eventType="
                            + type + " start=" + (noStart ? "NULL" : start) + " text='" + name + "'");
                    continue;
                }
                if (noStart || noThread) {
                    tally.lose("NVTX event without a start time or thread", TABLE + " row eventType="
                            + (noType ? "NULL" : type) + " text='" + name + "'");
                    continue;
                }
                if (!mark && (noEnd || end < start)) {
                    tally.lose("NVTX range without a valid end", TABLE + " row eventType=" + (noType ? "NULL" : type)
                            + " start=" + start + " end=" + (noEnd ? "NULL" : end) + " text='" + name + "'");
                    continue;
                }
                args(rs);
                if (mark) {
                    w.instant(entities.threadTrack(globalTid, "NVTX"), start, w.string(name), w.args(args));
                    tally.instants++;
                    tally.span(start, start);
                    continue;
                }
                if (startEnd) {
                    int track = entities.processTrack(globalTid, "NVTX start/end ranges");
                    w.slice(track, start, end - start, w.string(name), Category.USER, lane(track, start, end), -1, -1,
                            w.args(args));
                } else {
                    int track = entities.threadTrack(globalTid, "NVTX");
                    Category category = ChromeCategories.isProfilerStep(name) ? Category.STEP : Category.USER;
                    nesting.place(track, start);
                    long id = w.slice(track, start, end - start, w.string(name), category, nesting.depth,
                            nesting.parent, -1, w.args(args));
                    nesting.opened(end, id);
                }
                tally.slices++;
                tally.span(start, end);
            }
        }
    }

    /** The first lane of {@code track} free at {@code start} (start/end ranges overlap freely). */
    private int lane(int track, long start, long end) {
        List<Long> ends = lanes.computeIfAbsent(track, t -> new ArrayList<>());
        for (int i = 0; i < ends.size(); i++) {
            if (ends.get(i) <= start) {
                ends.set(i, end);
                return i;
            }
        }
        ends.add(end);
        return ends.size() - 1;
    }

    /** Columns 7.. of the range query: domainId, category, color, payload columns, jsonText, jsonTextId. */
    private void args(ResultSet rs) throws SQLException {
        args.clear();
        args.put("cat", "nvtx");
        long domain = rs.getLong(7);
        boolean noDomain = rs.wasNull();
        if (!noDomain && domain != 0) {
            String d = domains.get(domain);
            args.put("domain", d != null ? d : Long.toString(domain));
        }
        long category = rs.getLong(8);
        if (!rs.wasNull() && category != 0) {
            String c = categories.get((noDomain ? 0 : domain) + ":" + category);
            if (c != null) {
                args.put("category", c);
            } else {
                args.put("category", category);
            }
        }
        long color = rs.getLong(9);
        if (!rs.wasNull()) {
            args.put("color", String.format("#%06x", color & 0xFFFFFF));
        }
        for (int c = 10; c <= 15; c++) {
            if (c == 12 || c == 15) {
                double v = rs.getDouble(c);
                if (!rs.wasNull()) {
                    args.put("payload", v);
                    break;
                }
            } else {
                long v = rs.getLong(c);
                if (!rs.wasNull()) {
                    args.put("payload", v);
                    break;
                }
            }
        }
        String json = text(rs, 16, 17);
        if (json != null) {
            args.put("json", json);
        }
    }

    /** A text column, else the StringIds value of an id column; null when both are NULL. */
    private String text(ResultSet rs, int textColumn, int idColumn) throws SQLException {
        String text = rs.getString(textColumn);
        if (text != null) {
            return text;
        }
        long id = rs.getLong(idColumn);
        if (rs.wasNull()) {
            return null;
        }
        String s = db.string(id);
        return s != null ? s : "[nsys string " + id + "]";
    }
}
