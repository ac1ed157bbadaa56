package dev.throughline.protocol;

/** The stream ended inside a frame: the peer disconnected (or died) mid-frame. */
public final class TruncatedFrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public TruncatedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
