package dev.throughline.storage.model;

/** One timeline row with its process and thread identities resolved. */
public record TrackInfo(int id, String kind, Long pid, String processName, Long tid, String threadName,
                        Integer device, Long stream, String name) {
}
