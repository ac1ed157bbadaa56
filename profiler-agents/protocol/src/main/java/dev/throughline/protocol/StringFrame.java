package dev.throughline.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** STRING: defines string {@code id} (per connection, from 1) as {@code text}. */
public final class StringFrame extends Frame {
    private final int id;
    private final String text;
    private final byte[] utf8;

    public StringFrame(int id, String text) {
        this.id = id;
        this.text = Objects.requireNonNull(text, "text");
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    public int id() {
        return id;
    }

    public String text() {
        return text;
    }

    @Override
    public int type() {
        return STRING;
    }

    @Override
    int payloadLength() {
        return 4 + utf8.length;
    }

    @Override
    void writePayload(ByteBuffer buf) {
        buf.putInt(id);
        buf.put(utf8);
    }

    static StringFrame decode(ByteBuffer p) {
        int id = p.getInt();
        String text = Wire.utf8(p.array(), p.arrayOffset() + p.position(), p.remaining());
        p.position(p.limit());
        return new StringFrame(id, text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringFrame && ((StringFrame) o).id == id && ((StringFrame) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return 31 * id + text.hashCode();
    }

    @Override
    public String toString() {
        return "STRING[id=" + Integer.toUnsignedString(id) + ", text=" + text + "]";
    }
}
