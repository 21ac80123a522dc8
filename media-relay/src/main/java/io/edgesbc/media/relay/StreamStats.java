package io.edgesbc.media.relay;

import java.net.InetSocketAddress;

/**
 * A snapshot of what one relay socket received from the party on its leg.
 *
 * @param legId                   the leg (null while the answering leg is not named yet)
 * @param mediaIndex              the media section (m= line) index
 * @param kind                    RTP or RTCP socket
 * @param localPort               the relay port
 * @param peer                    where media for this party goes (latched, else from SDP); may be null
 * @param packets                 packets accepted (after the source check)
 * @param bytes                   UDP payload bytes of the accepted packets
 * @param packetsLost             RTP packets lost, RFC 3550 §6.4.1 / A.3 (may be negative with duplicates);
 *                                0 on RTCP sockets
 * @param jitter                  interarrival jitter, RFC 3550 §6.4.1 / A.8, in RTP timestamp units
 * @param jitterMillis            the same in milliseconds, using the last packet's clock rate
 * @param droppedUnexpectedSource packets from a source other than the latched or SDP one
 * @param droppedMalformed        packets that are not RTP/RTCP version 2 or too short
 * @param droppedNoDestination    packets with nowhere to go (other leg unknown, or its socket busy)
 * @param relatches               times the latched source moved after an SDP update
 */
public record StreamStats(String legId, int mediaIndex, StreamKind kind, int localPort, InetSocketAddress peer,
                          long packets, long bytes, long packetsLost, double jitter, double jitterMillis,
                          long droppedUnexpectedSource, long droppedMalformed, long droppedNoDestination,
                          long relatches) {

    /** All dropped packets. */
    public long dropped() {
        return droppedUnexpectedSource + droppedMalformed + droppedNoDestination;
    }
}
