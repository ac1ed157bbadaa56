package dev.throughline.app.capture;

import dev.throughline.protocol.FrameReader;

import java.time.Duration;

/**
 * Limits of a {@link Collector}.
 * @param queueCapacity     frames waiting for the writer thread; beyond it data frames are dropped and counted
 *                          ({@code collector}, {@code queue full})
 * @param handshakeTimeout  how long a new connection may take to present its handshake
 * @param drainTimeout      at stop, how long open connections may keep sending before they are cut
 * @param maxFrameLength    a longer frame is a protocol error that closes its connection
 * @param maxConnections    connections open at once; more are refused and counted
 */
public record CollectorOptions(int queueCapacity, Duration handshakeTimeout, Duration drainTimeout, int maxFrameLength,
                               int maxConnections) {
    public static final CollectorOptions DEFAULTS = new CollectorOptions(65_536, Duration.ofSeconds(5),
            Duration.ofSeconds(2), FrameReader.DEFAULT_MAX_FRAME_LENGTH, 256);

    public CollectorOptions {
        if (queueCapacity < 1 || maxFrameLength < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("queueCapacity, maxFrameLength and maxConnections must be positive");
        }
    }

    public CollectorOptions withDrainTimeout(Duration d) {
        return new CollectorOptions(queueCapacity, handshakeTimeout, d, maxFrameLength, maxConnections);
    }

    public CollectorOptions withQueueCapacity(int n) {
        return new CollectorOptions(n, handshakeTimeout, drainTimeout, maxFrameLength, maxConnections);
    }

    public CollectorOptions withHandshakeTimeout(Duration d) {
        return new CollectorOptions(queueCapacity, d, drainTimeout, maxFrameLength, maxConnections);
    }
}
