package dev.throughline.storage;

import java.util.Locale;

/** Our slice categories. The id is what {@code slice.category} stores; never renumber. */
public enum Category {
    STEP(1, "step"),
    REQUEST(2, "request"),
    PHASE(3, "phase"),
    CPU_OP(4, "cpu_op"),
    PYTHON(5, "python"),
    DATA_WAIT(6, "data_wait"),
    DATA_FETCH(7, "data_fetch"),
    CUDA_API(8, "cuda_api"),
    KERNEL(9, "kernel"),
    MEMCPY(10, "memcpy"),
    MEMSET(11, "memset"),
    SYNC(12, "sync"),
    GC(13, "gc"),
    USER(14, "user");

    private static final Category[] BY_ID = new Category[16];

    static {
        for (Category c : values()) {
            BY_ID[c.id] = c;
        }
    }

    public final int id;
    public final String label;

    Category(int id, String label) {
        this.id = id;
        this.label = label;
    }

    public static Category byId(int id) {
        if (id <= 0 || id >= BY_ID.length || BY_ID[id] == null) {
            throw new IllegalArgumentException("unknown category id " + id);
        }
        return BY_ID[id];
    }

    public static Category byLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Work that runs on a GPU rather than a host thread. */
    public boolean isGpuActivity() {
        return this == KERNEL || this == MEMCPY || this == MEMSET;
    }
}
