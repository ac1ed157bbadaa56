package dev.throughline.protocol;

/** A handshake with a protocol version this side does not speak (the collector replies {@link Handshake#REPLY_UNSUPPORTED_VERSION}). */
public final class UnsupportedVersionException extends ProtocolException {
    private static final long serialVersionUID = 1L;
    private final int version;

    public UnsupportedVersionException(int version) {
        super("unsupported protocol version " + version + " (this side speaks version " + Handshake.VERSION + ")");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
