package io.edgesbc.server.config;

import java.net.InetAddress;
import java.nio.file.Path;

/**
 * A realm: a named network side with its own address, on which EdgeSBC listens and from which it
 * sends. A port of 0 means "let the OS choose" (tests); an absent port means no listener.
 *
 * @param udpPort the UDP port, or -1 for none
 * @param tcpPort the TCP port, or -1 for none
 * @param tlsPort the TLS port (RFC 3261 §26.2; 5061 is the usual one), or -1 for none
 * @param tlsCertificate the PEM certificate chain a TLS listener presents; null when tlsPort is -1
 * @param tlsKey the PEM (PKCS#8) private key of that certificate; null when tlsPort is -1
 * @param advertise the address our Via and Contact name in this realm when it differs from the
 *        bound one (a wildcard bind, a static NAT); null to advertise {@code address}
 */
public record RealmConfig(String name, InetAddress address, int udpPort, int tcpPort, int tlsPort,
                          Path tlsCertificate, Path tlsKey, InetAddress advertise) {

    public RealmConfig {
        if (tlsPort >= 0 && (tlsCertificate == null || tlsKey == null)) {
            throw new IllegalArgumentException("realm '" + name + "' has a TLS port but no certificate and key");
        }
    }

    /** A realm that advertises its bound address. */
    public RealmConfig(String name, InetAddress address, int udpPort, int tcpPort, int tlsPort,
                       Path tlsCertificate, Path tlsKey) {
        this(name, address, udpPort, tcpPort, tlsPort, tlsCertificate, tlsKey, null);
    }

    /** A realm without TLS. */
    public RealmConfig(String name, InetAddress address, int udpPort, int tcpPort) {
        this(name, address, udpPort, tcpPort, -1, null, null, null);
    }

    /** The address our Via and Contact name in this realm: {@code advertise}, else the bound address. */
    public InetAddress advertisedAddress() {
        return advertise != null ? advertise : address;
    }

    public boolean hasTls() {
        return tlsPort >= 0;
    }

    /** The transports this realm listens on. */
    public java.util.Set<io.edgesbc.sip.transport.TransportKind> transports() {
        java.util.EnumSet<io.edgesbc.sip.transport.TransportKind> out =
                java.util.EnumSet.noneOf(io.edgesbc.sip.transport.TransportKind.class);
        if (udpPort >= 0) {
            out.add(io.edgesbc.sip.transport.TransportKind.UDP);
        }
        if (tcpPort >= 0) {
            out.add(io.edgesbc.sip.transport.TransportKind.TCP);
        }
        if (tlsPort >= 0) {
            out.add(io.edgesbc.sip.transport.TransportKind.TLS);
        }
        return out;
    }
}
