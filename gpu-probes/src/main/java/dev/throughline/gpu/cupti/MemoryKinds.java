package dev.throughline.gpu.cupti;

/** Names for CUPTI's copy kinds, memory kinds and synchronization types, as the UI and args show them. */
public final class MemoryKinds {
    public static final int MEMORY_PAGEABLE = 1;

    private static final String[] COPY = {"unknown", "HtoD", "DtoH", "HtoA", "AtoH", "AtoA", "AtoD", "DtoA", "DtoD",
        "HtoH", "PtoP"};
    private static final String[] MEMORY = {"unknown", "pageable", "pinned", "device", "array", "managed",
        "device static", "managed static"};
    private static final String[] SYNC = {"unknown", "event synchronize", "stream wait event", "stream synchronize",
        "context synchronize"};

    private MemoryKinds() {
    }

    /** CUpti_ActivityMemcpyKind: "HtoD", "DtoH", …; "kind N" for one this table predates. */
    public static String copyKind(int kind) {
        return name(COPY, kind);
    }

    /** CUpti_ActivityMemoryKind: "pageable", "pinned", "device", …. */
    public static String memoryKind(int kind) {
        return name(MEMORY, kind);
    }

    /** CUpti_ActivitySynchronizationType. */
    public static String syncType(int type) {
        return name(SYNC, type);
    }

    private static String name(String[] names, int i) {
        return i >= 0 && i < names.length ? names[i] : "kind " + i;
    }
}
