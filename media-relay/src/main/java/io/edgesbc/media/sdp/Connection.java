package io.edgesbc.media.sdp;

import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A {@code c=<nettype> <addrtype> <connection-address>} line (RFC 8866 §5.7).
 *
 * <p>For {@code IP4} the address may carry {@code /<ttl>[/<number of addresses>]}, for
 * {@code IP6} {@code /<number of addresses>} (multicast only). For other address types the whole
 * connection address is kept in {@link #address()}.
 *
 * @param netType  network type, normally {@code IN}
 * @param addrType address type, normally {@code IP4} or {@code IP6}
 * @param address  the address (or FQDN) without the ttl and count suffixes
 * @param ttl      the IPv4 multicast TTL (0-255), if given
 * @param count    the number of multicast addresses, if given
 */
public record Connection(String netType, String addrType, String address, OptionalInt ttl,
                         OptionalInt count) implements SdpField {

    /** Validates the subfields (RFC 8866 §5.7: TTL in 0-255, no TTL for IP6). */
    public Connection {
        Chars.requireWord(netType, "nettype");
        Chars.requireWord(addrType, "addrtype");
        Chars.requireWord(address, "connection address");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(count, "count");
        if (ttl.isPresent() && (ttl.getAsInt() < 0 || ttl.getAsInt() > 255)) {
            throw new IllegalArgumentException("ttl out of range 0-255");
        }
        if (count.isPresent() && count.getAsInt() < 1) {
            throw new IllegalArgumentException("address count must be positive");
        }
        if (ttl.isPresent() && "IP6".equals(addrType)) {
            throw new IllegalArgumentException("IP6 has no ttl");
        }
        if (count.isPresent() && "IP4".equals(addrType) && ttl.isEmpty()) {
            throw new IllegalArgumentException("IP4 address count requires a ttl");
        }
    }

    /** A unicast {@code IN IP4}/{@code IN IP6} connection for the given address. */
    public static Connection of(InetAddress address) {
        return new Connection("IN", Addresses.addrType(address), Addresses.format(address),
                OptionalInt.empty(), OptionalInt.empty());
    }

    /** A unicast connection from its three subfields. */
    public static Connection of(String netType, String addrType, String address) {
        return new Connection(netType, addrType, address, OptionalInt.empty(), OptionalInt.empty());
    }

    /**
     * Whether this is the RFC 2543 style hold address {@code IN IP4 0.0.0.0}
     * (RFC 3264 §8.4: still to be understood by an answerer).
     */
    public boolean isHoldAddress() {
        return "IN".equals(netType) && "IP4".equals(addrType) && "0.0.0.0".equals(address);
    }

    @Override
    public char type() {
        return 'c';
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder(netType.length() + addrType.length() + address.length() + 10);
        sb.append(netType).append(' ').append(addrType).append(' ').append(address);
        ttl.ifPresent(t -> sb.append('/').append(t));
        count.ifPresent(c -> sb.append('/').append(c));
        return sb.toString();
    }
}
