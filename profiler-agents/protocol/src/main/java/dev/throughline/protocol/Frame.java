package dev.throughline.protocol;

import java.nio.ByteBuffer;

/**
 * One frame of PROTOCOL.md: on the wire {@code u32 length, u8 type, payload}. Subclasses are immutable values
 * (equals, hashCode, toString) and encode their own payload.
 */
public abstract class Frame {
    public static final int STRING = 1;
    public static final int THREAD = 2;
    public static final int SLICE = 3;
    public static final int COUNTER = 4;
    public static final int SAMPLE = 5;
    public static final int LOSS = 6;
    public static final int BYE = 7;
    public static final int META = 8;

    Frame() {
    }

    /** The type byte. */
    public abstract int type();

    /** Bytes of the payload (after the type byte). */
    abstract int payloadLength();

    abstract void writePayload(ByteBuffer buf);

    /** The name PROTOCOL.md gives a type, or {@code type N}. */
    public static String typeName(int type) {
        switch (type) {
            case STRING: return "STRING";
            case THREAD: return "THREAD";
            case SLICE: return "SLICE";
            case COUNTER: return "COUNTER";
            case SAMPLE: return "SAMPLE";
            case LOSS: return "LOSS";
            case BYE: return "BYE";
            case META: return "META";
            default: return "type " + type;
        }
    }
}
