package dev.throughline.storage.importer;

/**
 * What a file is, as far as its first bytes tell.
 * @param description one line for a user: the format, or why it is not one we read
 */
public record DetectedFormat(TraceFormat format, String description) {
}
