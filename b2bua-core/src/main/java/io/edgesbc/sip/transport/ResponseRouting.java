package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.Via;
import io.edgesbc.sip.message.IpLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Where a response goes when it cannot go back over the request's connection (RFC 3261 §18.2.2). */
final class ResponseRouting {

    private static final int DEFAULT_PORT = 5060;

    private ResponseRouting() {
    }

    /**
     * The top Via decides: received (stamped by us on the way in) or else the sent-by host; the
     * rport value (RFC 3581 §4) or else the sent-by port, or 5060. Returns null when the host is a
     * name we would have to resolve (we never stamp requests so that this happens).
     */
    static InetSocketAddress destination(Via top) {
        String host = top.received() != null ? top.received() : top.host();
        int port = top.hasRport() && top.rport() > 0 ? top.rport() : top.port() > 0 ? top.port() : DEFAULT_PORT;
        InetAddress address = IpLiterals.parse(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }
}
