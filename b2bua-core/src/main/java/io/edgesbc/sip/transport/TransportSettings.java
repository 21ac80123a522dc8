package io.edgesbc.sip.transport;

import io.edgesbc.sip.parse.ParseLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the transport layer.
 *
 * @param parseLimits the codec's limits (start line, header section, header count, body)
 * @param connectionIdleTimeout a TCP/TLS connection with no traffic for this long is closed
 * @param maxConnections most open TCP/TLS connections at once over all listen points; more are
 *        refused (closed at once) and counted
 * @param tlsTrust PEM file of the certificates we trust when we open TLS connections, or null for
 *        the JDK's default trust store
 * @param maxSendBuffer most bytes a TCP/TLS connection buffers for a peer that does not read them
 *        yet; messages past it are not sent (a transport error for their transaction). Inbound,
 *        what a connection buffers is bounded by the parse limits (one header section and body)
 */
public record TransportSettings(ParseLimits parseLimits, Duration connectionIdleTimeout, int maxConnections,
                                Path tlsTrust, int maxSendBuffer) {

    /** 1 MiB: hundreds of SIP messages, far more than a live peer ever leaves unread. */
    public static final int DEFAULT_MAX_SEND_BUFFER = 1 << 20;

    public static final TransportSettings DEFAULTS =
            new TransportSettings(ParseLimits.DEFAULTS, Duration.ofMinutes(5), 10_000, null, DEFAULT_MAX_SEND_BUFFER);

    public TransportSettings {
        if (maxSendBuffer < 2) {
            throw new IllegalArgumentException("maxSendBuffer must be at least 2 bytes: " + maxSendBuffer);
        }
    }

    public TransportSettings(ParseLimits parseLimits, Duration connectionIdleTimeout, int maxConnections) {
        this(parseLimits, connectionIdleTimeout, maxConnections, null, DEFAULT_MAX_SEND_BUFFER);
    }

    public TransportSettings withTlsTrust(Path trust) {
        return new TransportSettings(parseLimits, connectionIdleTimeout, maxConnections, trust, maxSendBuffer);
    }

    public TransportSettings withMaxSendBuffer(int bytes) {
        return new TransportSettings(parseLimits, connectionIdleTimeout, maxConnections, tlsTrust, bytes);
    }
}
