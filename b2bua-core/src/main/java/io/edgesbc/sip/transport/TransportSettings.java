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
 * @param buffers what a TCP/TLS connection may buffer for its peer and the UDP sockets' receive
 *        buffer. Inbound, what a connection buffers is bounded by the parse limits (one header
 *        section and body)
 */
public record TransportSettings(ParseLimits parseLimits, Duration connectionIdleTimeout, int maxConnections,
                                Path tlsTrust, SocketBuffers buffers) {

    public static final TransportSettings DEFAULTS =
            new TransportSettings(ParseLimits.DEFAULTS, Duration.ofMinutes(5), 10_000, null, SocketBuffers.DEFAULTS);

    public TransportSettings {
        java.util.Objects.requireNonNull(buffers, "buffers");
    }

    public TransportSettings(ParseLimits parseLimits, Duration connectionIdleTimeout, int maxConnections) {
        this(parseLimits, connectionIdleTimeout, maxConnections, null, SocketBuffers.DEFAULTS);
    }

    public TransportSettings withTlsTrust(Path trust) {
        return new TransportSettings(parseLimits, connectionIdleTimeout, maxConnections, trust, buffers);
    }

    public TransportSettings withMaxSendBuffer(int bytes) {
        return new TransportSettings(parseLimits, connectionIdleTimeout, maxConnections, tlsTrust,
                new SocketBuffers(bytes, buffers.udpReceiveBuffer()));
    }

    /** See {@link SocketBuffers#maxSendBuffer()}. */
    public int maxSendBuffer() {
        return buffers.maxSendBuffer();
    }
}
