package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.IpLiterals;
import io.edgesbc.sip.message.Via;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where a response goes when it does not go back over the request's connection: over UDP, or
 * over a new connection when the request's one has closed (RFC 3261 §18.2.2, RFC 3581 §4).
 *
 * <p>The rule reads only the top Via of the response, a copy of the request's as
 * {@link ViaStamping} stamped it on arrival. Hosts must be IP literals: a name would need DNS,
 * which we never do on an event loop, so such a response has no destination (null).
 */
final class ResponseRouting {

    /** §18.2.1, §19.1.2: a sent-by without a port means 5060 (UDP, TCP) or 5061 (TLS). */
    private static final int DEFAULT_PORT = 5060;
    private static final int DEFAULT_TLS_PORT = 5061;

    private ResponseRouting() {
    }

    /**
     * The destination of a response over an unreliable transport (UDP), in this order:
     * <ol>
     *   <li>§18.2.2: with maddr, the maddr address and the sent-by port (or 5060);</li>
     *   <li>RFC 3581 §4: with received and an rport value, the received address and that port;</li>
     *   <li>§18.2.2: with received, the received address and the sent-by port (or 5060);</li>
     *   <li>§18.2.2: else the sent-by host and port (or 5060).</li>
     * </ol>
     * The maddr is honoured only as unicast: we send no multicast, so its ttl is not used.
     *
     * @return the destination, or null when the chosen host is not an IP literal
     */
    static InetSocketAddress unreliable(Via top) {
        int sentByPort = top.port() > 0 ? top.port() : DEFAULT_PORT;
        if (top.maddr() != null) {
            return literal(top.maddr(), sentByPort);
        }
        if (top.received() != null) {
            return literal(top.received(), top.rport() > 0 ? top.rport() : sentByPort);
        }
        return literal(top.host(), sentByPort);
    }

    /**
     * The destination of a new connection for a response whose request's connection has closed
     * (§18.2.2): the received address, else the sent-by host, with the sent-by port or the
     * transport's default. Not rport: over a stream it is the peer's ephemeral source port, which
     * no longer listens once that connection is gone (RFC 3581 §4 is about unreliable transports).
     *
     * @return the destination, or null when the host is not an IP literal
     */
    static InetSocketAddress reliable(Via top, TransportKind transport) {
        int defaultPort = transport == TransportKind.TLS ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        int port = top.port() > 0 ? top.port() : defaultPort;
        return literal(top.received() != null ? top.received() : top.host(), port);
    }

    private static InetSocketAddress literal(String host, int port) {
        InetAddress address = IpLiterals.parse(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }
}
