package io.edgesbc.b2bua;

import io.edgesbc.sip.message.IpLiterals;
import io.edgesbc.sip.message.SipUri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One place a call may go: the Request-URI of the UAC leg's INVITE and the address it is sent to
 * over UDP. The address is resolved when the route is made, never on the call path.
 */
public record RouteTarget(SipUri uri, InetSocketAddress address) {

    public RouteTarget {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("target address is not resolved: " + address);
        }
    }

    /**
     * A target from a SIP URI whose host is an IP literal (no DNS: RFC 3263 lookups are not done
     * yet); the port defaults to 5060 (RFC 3261 §19.1.2).
     */
    public static RouteTarget of(String sipUri) {
        SipUri uri = SipUri.parse(sipUri);
        InetSocketAddress address = literalAddress(uri.host(), uri.port());
        if (address == null) {
            throw new IllegalArgumentException("target host must be an IP address (no DNS yet): " + sipUri);
        }
        return new RouteTarget(uri, address);
    }

    /** host:port when host is an IP literal (IPv6 with or without brackets), else null. No DNS. */
    static InetSocketAddress literalAddress(String host, int port) {
        InetAddress address = IpLiterals.parse(host);
        return address == null ? null : new InetSocketAddress(address, port > 0 ? port : 5060);
    }

    /**
     * The transport the target asks for (RFC 3261 §19.1.4 uri-parameters, §26.2.2): TLS for a
     * sips: URI or transport=tls, TCP for transport=tcp, else UDP (no RFC 3263 lookup).
     */
    public io.edgesbc.sip.transport.TransportKind transport() {
        String t = uri.transport();
        if (uri.secure() || "tls".equals(t)) {
            return io.edgesbc.sip.transport.TransportKind.TLS;
        }
        return "tcp".equals(t) ? io.edgesbc.sip.transport.TransportKind.TCP
                : io.edgesbc.sip.transport.TransportKind.UDP;
    }
}
