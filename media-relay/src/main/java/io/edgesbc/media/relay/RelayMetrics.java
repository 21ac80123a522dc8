package io.edgesbc.media.relay;

import java.util.List;

/**
 * Relay-wide counters.
 *
 * @param activeCalls   calls known to the relay (including bypassed ones)
 * @param pools         one entry per realm
 * @param activeStreams relay sockets open now (an RTP and an RTCP socket per media section and leg)
 * @param traffic       packet counters since the relay started, over live and ended calls
 */
public record RelayMetrics(int activeCalls, List<Pool> pools, int activeStreams, Traffic traffic) {

    /** Copies the list. */
    public RelayMetrics {
        pools = List.copyOf(pools);
    }

    /**
     * One realm's port pool.
     *
     * @param realm       realm name
     * @param pairs       RTP/RTCP pairs in the range
     * @param free        pairs free now
     * @param exhaustions requests refused because no pair was free
     */
    public record Pool(String realm, int pairs, int free, long exhaustions) {

        /** Pairs allocated now. */
        public int inUse() {
            return pairs - free;
        }
    }

    /**
     * What the data plane did since the relay started. Each value never decreases between two
     * calls of {@link MediaRelay#metrics()} (they are Prometheus counters).
     *
     * @param packets                 packets accepted (and forwarded or dropped for want of a destination)
     * @param bytes                   their UDP payload bytes
     * @param packetsLost             RTP packets lost (RFC 3550 §6.4.1), streams with duplicates counted as 0
     * @param droppedUnexpectedSource packets dropped by latching or strict mode
     * @param droppedMalformed        packets that were not RTP/RTCP
     * @param droppedNoDestination    packets with nowhere to go
     */
    public record Traffic(long packets, long bytes, long packetsLost, long droppedUnexpectedSource,
                          long droppedMalformed, long droppedNoDestination) {

        /** Nothing yet. */
        public static final Traffic ZERO = new Traffic(0, 0, 0, 0, 0, 0);

        Traffic plus(StreamStats s) {
            return new Traffic(packets + s.packets(), bytes + s.bytes(), packetsLost + Math.max(0, s.packetsLost()),
                    droppedUnexpectedSource + s.droppedUnexpectedSource(), droppedMalformed + s.droppedMalformed(),
                    droppedNoDestination + s.droppedNoDestination());
        }

        Traffic plus(Traffic t) {
            return new Traffic(packets + t.packets, bytes + t.bytes, packetsLost + t.packetsLost,
                    droppedUnexpectedSource + t.droppedUnexpectedSource, droppedMalformed + t.droppedMalformed,
                    droppedNoDestination + t.droppedNoDestination);
        }

        /** Component-wise maximum (keeps counters monotonic across a call's move to the ended total). */
        Traffic max(Traffic t) {
            return new Traffic(Math.max(packets, t.packets), Math.max(bytes, t.bytes),
                    Math.max(packetsLost, t.packetsLost), Math.max(droppedUnexpectedSource, t.droppedUnexpectedSource),
                    Math.max(droppedMalformed, t.droppedMalformed), Math.max(droppedNoDestination, t.droppedNoDestination));
        }
    }

    /** The pool of a realm, or {@code null}. */
    public Pool pool(String realm) {
        for (Pool p : pools) {
            if (p.realm().equals(realm)) {
                return p;
            }
        }
        return null;
    }
}
