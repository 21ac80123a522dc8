package io.edgesbc.media.relay;

import java.util.List;

/**
 * A snapshot of a call's streams, for a CDR or metrics.
 *
 * @param callId   the call
 * @param bypassed whether media bypassed the relay (then there are no streams)
 * @param onHold   whether the last SDP put the call on hold
 * @param streams  one entry per relay socket
 */
public record CallStats(String callId, boolean bypassed, boolean onHold, List<StreamStats> streams) {

    /** Copies the list. */
    public CallStats {
        streams = List.copyOf(streams);
    }

    /** Packets accepted on all sockets. */
    public long packets() {
        return streams.stream().mapToLong(StreamStats::packets).sum();
    }

    /** RTP packets lost over all streams. */
    public long packetsLost() {
        return streams.stream().mapToLong(StreamStats::packetsLost).sum();
    }

    /** Packets dropped on all sockets. */
    public long dropped() {
        return streams.stream().mapToLong(StreamStats::dropped).sum();
    }

    /** The stream of a leg, media section and kind, or {@code null}. */
    public StreamStats stream(String legId, int mediaIndex, StreamKind kind) {
        for (StreamStats s : streams) {
            if (java.util.Objects.equals(s.legId(), legId) && s.mediaIndex() == mediaIndex && s.kind() == kind) {
                return s;
            }
        }
        return null;
    }
}
