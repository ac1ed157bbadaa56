package dev.throughline.storage.model;

import java.util.List;

/** The columns and rows of a user's SQL query; values as SQLite returned them (Long, Double, String, null). */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
}
