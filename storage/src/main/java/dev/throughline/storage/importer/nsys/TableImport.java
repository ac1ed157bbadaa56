package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.CaptureWriter;

/**
 * What every per-table import of an nsys export works with: the export, its enum tables, the
 * processes/threads/tracks made so far, the capture being written, and the row tally.
 */
abstract class TableImport {
    /** The parts one import run shares between its table imports. */
    record Context(NsysDatabase db, NsysEnums enums, Entities entities, CaptureWriter writer, Tally tally) {
    }

    protected final NsysDatabase db;
    protected final NsysEnums enums;
    protected final Entities entities;
    protected final CaptureWriter w;
    protected final Tally tally;

    TableImport(Context c) {
        this.db = c.db();
        this.enums = c.enums();
        this.entities = c.entities();
        this.w = c.writer();
        this.tally = c.tally();
    }
}
