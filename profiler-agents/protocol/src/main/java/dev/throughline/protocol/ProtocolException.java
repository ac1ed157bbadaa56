package dev.throughline.protocol;

import java.io.IOException;

/** Bytes that do not follow PROTOCOL.md: the message says where (byte offset, frame) and what was expected. */
public class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
