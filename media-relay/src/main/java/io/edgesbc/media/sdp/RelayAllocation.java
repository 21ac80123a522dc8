package io.edgesbc.media.sdp;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The relay ports allocated for one leg: per media section index, the relay address (IPv4 or
 * IPv6) and RTP/RTCP ports; plus the session address used for {@code o=} and a session-level
 * {@code c=}.
 *
 * <p>Built with {@link #builder(InetAddress)}; immutable.
 */
public final class RelayAllocation {

    /**
     * Where one media section is relayed.
     *
     * @param address  relay address
     * @param rtpPort  RTP port, 1-65535
     * @param rtcpPort RTCP port, 1-65535
     */
    public record Endpoint(InetAddress address, int rtpPort, int rtcpPort) {

        /** Validates the ports. */
        public Endpoint {
            Objects.requireNonNull(address, "address");
            if (rtpPort < 1 || rtpPort > 65535 || rtcpPort < 1 || rtcpPort > 65535) {
                throw new IllegalArgumentException("ports must be 1-65535");
            }
        }
    }

    private final InetAddress sessionAddress;
    private final Map<Integer, Endpoint> endpoints;

    private RelayAllocation(InetAddress sessionAddress, Map<Integer, Endpoint> endpoints) {
        this.sessionAddress = sessionAddress;
        this.endpoints = Map.copyOf(endpoints);
    }

    /** Starts an allocation whose {@code o=} and session-level {@code c=} use {@code sessionAddress}. */
    public static Builder builder(InetAddress sessionAddress) {
        return new Builder(Objects.requireNonNull(sessionAddress, "sessionAddress"));
    }

    /** The address for {@code o=} and a session-level {@code c=}. */
    public InetAddress sessionAddress() {
        return sessionAddress;
    }

    /** The endpoint for the media section at {@code index} (0-based), if allocated. */
    public Optional<Endpoint> endpoint(int index) {
        return Optional.ofNullable(endpoints.get(index));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelayAllocation other && sessionAddress.equals(other.sessionAddress)
                && endpoints.equals(other.endpoints);
    }

    @Override
    public int hashCode() {
        return sessionAddress.hashCode() * 31 + endpoints.hashCode();
    }

    @Override
    public String toString() {
        return "RelayAllocation[session=" + sessionAddress + ", media=" + new TreeMap<>(endpoints) + "]";
    }

    /** Collects endpoints per media section index. */
    public static final class Builder {
        private final InetAddress sessionAddress;
        private final Map<Integer, Endpoint> endpoints = new TreeMap<>();

        private Builder(InetAddress sessionAddress) {
            this.sessionAddress = sessionAddress;
        }

        /** Media section {@code index} is relayed at {@code address:rtpPort}, RTCP on rtpPort + 1. */
        public Builder media(int index, InetAddress address, int rtpPort) {
            return media(index, address, rtpPort, rtpPort + 1);
        }

        /** Media section {@code index} is relayed at {@code address:rtpPort}, RTCP on {@code rtcpPort}. */
        public Builder media(int index, InetAddress address, int rtpPort, int rtcpPort) {
            if (index < 0) {
                throw new IllegalArgumentException("negative media index");
            }
            endpoints.put(index, new Endpoint(address, rtpPort, rtcpPort));
            return this;
        }

        /** The allocation. */
        public RelayAllocation build() {
            return new RelayAllocation(sessionAddress, endpoints);
        }
    }
}
