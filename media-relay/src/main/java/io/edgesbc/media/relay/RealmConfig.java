package io.edgesbc.media.relay;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One relay address facing one network, with its port range and latch mode.
 *
 * <p>RTP ports are the even ports of {@code [minPort, maxPort]} whose RTCP port (RTP + 1,
 * RFC 3550 §11) is also in the range.
 *
 * @param name      realm name used by {@link CallOptions}
 * @param address   local address the relay binds (may be a wildcard when {@code advertise} is set)
 * @param minPort   lowest port, 1024-65535
 * @param maxPort   highest port, at least {@code minPort + 1}
 * @param latchMode how peers' addresses are learned on this realm
 * @param advertise the address written into SDP (c=, o=, a=rtcp) when parties reach the relay
 *                  at another address than the bound one (a wildcard bind, a static NAT); null
 *                  to write {@code address}
 */
public record RealmConfig(String name, InetAddress address, int minPort, int maxPort, LatchMode latchMode,
                          InetAddress advertise) {

    /** Validates the range: it must hold at least one even/odd pair. */
    public RealmConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(latchMode, "latchMode");
        if (address.isAnyLocalAddress() && advertise == null) {
            // RFC 8866 §5.7: c= must name an address the peer can send to; a wildcard names none
            throw new IllegalArgumentException("realm " + name + " binds the wildcard "
                    + address.getHostAddress() + ": an advertise address is needed for the SDP");
        }
        if (advertise != null && advertise.isAnyLocalAddress()) {
            throw new IllegalArgumentException("realm " + name + ": advertise must be a concrete address");
        }
        if (minPort < 1024 || maxPort > 65535 || firstEven(minPort) + 1 > maxPort) {
            throw new IllegalArgumentException("port range " + minPort + "-" + maxPort
                    + " holds no RTP/RTCP pair within 1024-65535");
        }
    }

    /** A realm that writes its bound address into SDP. */
    public RealmConfig(String name, InetAddress address, int minPort, int maxPort, LatchMode latchMode) {
        this(name, address, minPort, maxPort, latchMode, null);
    }

    /** A realm in {@link LatchMode#LATCH} mode. */
    public static RealmConfig of(String name, InetAddress address, int minPort, int maxPort) {
        return new RealmConfig(name, address, minPort, maxPort, LatchMode.LATCH, null);
    }

    /** This realm with another latch mode. */
    public RealmConfig withLatchMode(LatchMode mode) {
        return new RealmConfig(name, address, minPort, maxPort, mode, advertise);
    }

    /** This realm writing {@code sdpAddress} into SDP instead of the bound address. */
    public RealmConfig withAdvertise(InetAddress sdpAddress) {
        return new RealmConfig(name, address, minPort, maxPort, latchMode, sdpAddress);
    }

    /** The address parties send media to: {@code advertise}, else the bound address. */
    public InetAddress sdpAddress() {
        return advertise != null ? advertise : address;
    }

    /** The number of RTP/RTCP port pairs in the range. */
    public int pairs() {
        return (maxPort - firstEven(minPort) + 1) / 2;
    }

    static int firstEven(int port) {
        return (port & 1) == 0 ? port : port + 1;
    }
}
