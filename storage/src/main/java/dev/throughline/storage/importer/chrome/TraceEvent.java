package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.ArgSet;

/**
 * One trace event as the parser read it: a reusable slot handed from the parsing thread to the
 * thread that writes the capture (never both at once).
 */
final class TraceEvent {
    long index;
    long offset;
    /** Set instead of the fields below for an element of the event array that is not an object. */
    String notAnObject;
    char ph;
    String phText;
    String name;
    String cat;
    boolean hasPid;
    long pid;
    String pidName;
    boolean hasTid;
    long tid;
    String tidName;
    boolean hasTs;
    long ts;
    boolean hasDur;
    long dur;
    String idText;
    boolean hasCorrelation;
    long correlation;
    boolean hasDevice;
    long device;
    boolean hasStream;
    long stream;
    /** The key of an argument dropped for its size, or null. */
    String oversizedArg;
    final ArgSet args = new ArgSet();

    void reset(long index, long offset) {
        this.index = index;
        this.offset = offset;
        notAnObject = null;
        ph = 0;
        phText = null;
        name = null;
        cat = null;
        hasPid = false;
        pidName = null;
        hasTid = false;
        tidName = null;
        hasTs = false;
        hasDur = false;
        idText = null;
        hasCorrelation = false;
        hasDevice = false;
        hasStream = false;
        oversizedArg = null;
        args.clear();
    }

    String phase() {
        return phText != null ? phText : String.valueOf(ph);
    }

    /** "event #K at byte N ph='X' name='...' cat='...'" for loss examples. */
    String describe() {
        StringBuilder sb = new StringBuilder(96);
        sb.append("event #").append(index).append(" at byte ").append(offset);
        if (notAnObject != null) {
            return sb.append(" is ").append(notAnObject).toString();
        }
        if (ph != 0) {
            sb.append(" ph='").append(phase()).append('\'');
        }
        if (name != null) {
            sb.append(" name='").append(name.length() > 80 ? name.substring(0, 80) + "…" : name).append('\'');
        }
        if (cat != null) {
            sb.append(" cat='").append(cat).append('\'');
        }
        return sb.toString();
    }
}
