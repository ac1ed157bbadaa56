package dev.throughline.storage.model;

import dev.throughline.storage.Category;

/** A slice as read back, with its name resolved; {@code argsId} 0 when it has none. */
public record SliceRecord(long id, int trackId, long startNs, long durNs, String name, Category category,
                          long correlationId, long argsId) {
}
