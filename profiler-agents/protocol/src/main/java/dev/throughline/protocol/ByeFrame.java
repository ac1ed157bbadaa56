package dev.throughline.protocol;

import java.nio.ByteBuffer;

/** BYE: the agent is closing normally (empty payload). */
public final class ByeFrame extends Frame {
    public static final ByeFrame INSTANCE = new ByeFrame();

    private ByeFrame() {
    }

    @Override
    public int type() {
        return BYE;
    }

    @Override
    int payloadLength() {
        return 0;
    }

    @Override
    void writePayload(ByteBuffer buf) {
    }

    @Override
    public String toString() {
        return "BYE";
    }
}
