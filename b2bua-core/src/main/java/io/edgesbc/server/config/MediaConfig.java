package io.edgesbc.server.config;

import io.edgesbc.media.relay.LatchMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code media:} section, resolved against the realms: one relay realm per SIP realm, with its
 * defaults filled in (see docs/CONFIG.md).
 *
 * @param enabled     anchor media in the relay; false passes SDP unchanged
 * @param timeout     no RTP on a call for this long ends it (RFC 3264 §8.4 hold gets {@code holdTimeout})
 * @param holdTimeout the same while the call is on hold
 * @param realms      one per SIP realm, in the order of {@code realms:}
 * @param bypass      realm pairs whose calls bypass the relay (each side then learns the other's
 *                    media address)
 */
public record MediaConfig(boolean enabled, Duration timeout, Duration holdTimeout, List<Realm> realms,
                          List<BypassPair> bypass) {

    /** The default media timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The default media timeout while on hold (a held party may send nothing at all). */
    public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofHours(1);
    /** The port range realms share by default, split between realms on one address. */
    public static final int DEFAULT_MIN_PORT = 30000;
    public static final int DEFAULT_MAX_PORT = 39999;

    /** No relay: SDP passes unchanged (configurations built in code without a media section). */
    public static final MediaConfig DISABLED =
            new MediaConfig(false, DEFAULT_TIMEOUT, DEFAULT_HOLD_TIMEOUT, List.of(), List.of());

    public MediaConfig {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(holdTimeout, "holdTimeout");
        realms = List.copyOf(realms);
        bypass = List.copyOf(bypass);
    }

    /**
     * A SIP realm's relay address.
     *
     * @param name      the SIP realm's name
     * @param address   the address relay sockets bind
     * @param advertise the address written into SDP, or null for {@code address}
     * @param minPort   lowest port (RTP even, RTCP = RTP + 1, RFC 3550 §11)
     * @param maxPort   highest port
     * @param latching  how the relay learns where a party's media comes from
     */
    public record Realm(String name, InetAddress address, InetAddress advertise, int minPort, int maxPort,
                        LatchMode latching) {
    }

    /** Two realms whose calls (either direction) bypass the relay. */
    public record BypassPair(String a, String b) {
    }
}
