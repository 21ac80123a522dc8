package io.edgesbc.sip.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One socket EdgeSBC listens on: a realm (the named network side it belongs to), a transport and
 * an address. The advertised address (or else the bound one) is what our Via sent-by and Contact
 * say on that side.
 *
 * @param tls the certificate and key a TLS listen point presents; null for UDP and TCP
 * @param advertised the address peers must use to reach us (a socket bound to 0.0.0.0, or behind
 *        a static NAT, cannot name itself); null to advertise the bound address
 */
public record ListenPoint(String realm, TransportKind transport, InetSocketAddress address, TlsSettings tls,
                          InetAddress advertised) {
    public ListenPoint {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        if ((transport == TransportKind.TLS) != (tls != null)) {
            throw new IllegalArgumentException(transport == TransportKind.TLS
                    ? "a TLS listen point needs a certificate and key"
                    : "only a TLS listen point has a certificate and key");
        }
    }

    /** A listen point that advertises its bound address. */
    public ListenPoint(String realm, TransportKind transport, InetSocketAddress address, TlsSettings tls) {
        this(realm, transport, address, tls, null);
    }

    /** A UDP or TCP listen point. */
    public ListenPoint(String realm, TransportKind transport, InetSocketAddress address) {
        this(realm, transport, address, null, null);
    }

    /** A TLS listen point presenting {@code tls}. */
    public static ListenPoint tls(String realm, InetSocketAddress address, TlsSettings tls) {
        return new ListenPoint(realm, TransportKind.TLS, address, tls, null);
    }

    /** The same listen point on another address (e.g. the port the OS chose for port 0). */
    public ListenPoint withAddress(InetSocketAddress other) {
        return new ListenPoint(realm, transport, other, tls, advertised);
    }

    /** The same listen point advertising {@code address} (null: the bound address). */
    public ListenPoint advertising(InetAddress address) {
        return new ListenPoint(realm, transport, this.address, tls, address);
    }

    /** The address our Via and Contact name on this side: the advertised one, else the bound one. */
    public InetAddress advertisedAddress() {
        return advertised != null ? advertised : address.getAddress();
    }

    /** The advertised host as a string, IPv6 without brackets. */
    public String advertisedHost() {
        return advertisedAddress().getHostAddress();
    }

    /** host:port as written in a Via sent-by (IPv6 in brackets, RFC 3261 §25.1). */
    public String sentBy() {
        String host = advertisedHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return realm + "/" + transport + "/" + sentBy();
    }
}
