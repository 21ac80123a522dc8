package io.edgesbc.media.relay;

import io.edgesbc.media.sdp.SdpRewriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable relay configuration; the {@code with*} methods return copies.
 *
 * @param realms        relay addresses, at least one; names unique
 * @param mediaTimeout  a call with no RTP on any stream for this long is reported
 * @param holdTimeout   the same while the call is on hold (longer: a held party sends nothing)
 * @param sweepInterval how often timeouts are checked; also their resolution
 * @param ioThreads     event loops of the data plane; each call lives on one of them
 * @param maxPacketSize largest datagram read; longer ones are truncated by the socket
 * @param sdpOptions    ICE handling and codec policy of the SDP rewrite
 */
public record RelayConfig(List<RealmConfig> realms, Duration mediaTimeout, Duration holdTimeout,
                          Duration sweepInterval, int ioThreads, int maxPacketSize,
                          SdpRewriter.Options sdpOptions) {

    /** Validates and copies. */
    public RelayConfig {
        realms = List.copyOf(realms);
        if (realms.isEmpty()) {
            throw new IllegalArgumentException("at least one realm");
        }
        Set<String> names = new HashSet<>();
        for (RealmConfig r : realms) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("duplicate realm " + r.name());
            }
        }
        requirePositive(mediaTimeout, "mediaTimeout");
        requirePositive(holdTimeout, "holdTimeout");
        requirePositive(sweepInterval, "sweepInterval");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be positive");
        }
        if (maxPacketSize < 64 || maxPacketSize > 65535) {
            throw new IllegalArgumentException("maxPacketSize must be 64-65535");
        }
        Objects.requireNonNull(sdpOptions, "sdpOptions");
    }

    /**
     * Defaults: media timeout 60 s, 1 h on hold, swept every second, two I/O threads, 2,048-byte
     * datagrams, ICE removed, every codec kept.
     *
     * <p>Two I/O threads rather than one even on small machines: Netty's epoll loop keeps its
     * channels in an open-addressing map keyed by file descriptor, and the descriptors of one
     * loop's sockets are then one dense run of integers; removing a socket from such a run scans
     * the whole run (backward-shift deletion). With every call opening and closing four sockets,
     * a single loop holding 18,000 of them spent most of its time there (bench/b2bua-load.sh,
     * 1,500 calls/s). With calls spread over two loops each map holds every other block of
     * descriptors, and the runs stay short.
     */
    public static RelayConfig of(RealmConfig... realms) {
        return new RelayConfig(List.of(realms), Duration.ofSeconds(60), Duration.ofHours(1),
                Duration.ofSeconds(1), 2, 2048, SdpRewriter.Options.defaults());
    }

    /** A copy with other media timeouts. */
    public RelayConfig withTimeouts(Duration media, Duration onHold) {
        return new RelayConfig(realms, media, onHold, sweepInterval, ioThreads, maxPacketSize, sdpOptions);
    }

    /** A copy with another sweep interval. */
    public RelayConfig withSweepInterval(Duration interval) {
        return new RelayConfig(realms, mediaTimeout, holdTimeout, interval, ioThreads, maxPacketSize, sdpOptions);
    }

    /** A copy with another number of I/O threads. */
    public RelayConfig withIoThreads(int threads) {
        return new RelayConfig(realms, mediaTimeout, holdTimeout, sweepInterval, threads, maxPacketSize, sdpOptions);
    }

    /** A copy with other SDP rewrite options. */
    public RelayConfig withSdpOptions(SdpRewriter.Options options) {
        return new RelayConfig(realms, mediaTimeout, holdTimeout, sweepInterval, ioThreads, maxPacketSize, options);
    }

    /** The realm with this name, or {@code null}. */
    RealmConfig realm(String name) {
        for (RealmConfig r : realms) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
