package io.edgesbc.sip.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * Where a message came from: the listen point that received it, the peer's address and, for a
 * connection-oriented transport, the connection (responses go back over it while it is open,
 * RFC 3261 §18.2.2).
 *
 * @param connection the TCP/TLS channel, or null for UDP
 */
public record MessageSource(ListenPoint listenPoint, InetSocketAddress remote, Channel connection) {

    public TransportKind transport() {
        return listenPoint.transport();
    }

    public String realm() {
        return listenPoint.realm();
    }

    @Override
    public String toString() {
        return listenPoint.transport() + " " + remote.getAddress().getHostAddress() + ":" + remote.getPort()
                + " -> " + listenPoint;
    }
}
