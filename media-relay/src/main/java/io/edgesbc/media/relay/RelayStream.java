package io.edgesbc.media.relay;

import io.netty.channel.Channel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * One relay socket of one leg: it receives what the party on that leg sends, and sends that
 * party what the other leg's party sends (through {@link #partner}).
 *
 * <h2>Threading</h2>
 * Fields marked <i>loop</i> are written only by the call's event loop (all sockets of a call
 * share one, so a packet is read and forwarded on one thread without locks). Fields marked
 * <i>control</i> are written under the call's monitor by the control API and read by the loop;
 * they are volatile. Counters are written by the loop only; {@link #packets} is volatile and
 * written last, so a reader that reads it first sees the other counters at least as new. The
 * loop writes {@link #packets} and {@link #rtpPackets} with release stores ({@link #countPacket}):
 * that is all a reader's volatile read needs to see the writes before them, and unlike a volatile
 * store it costs no fence per packet.
 */
final class RelayStream {

    final RelayLeg leg;
    final int mediaIndex;
    final StreamKind kind;
    final int port;
    final LatchMode mode;

    /** control: set once after the bind, before {@link #partner} is published. */
    volatile Channel channel;
    /** control: the other leg's stream of the same media section and kind. */
    volatile RelayStream partner;
    /** control: the party's address from its SDP, or null (port 0 or no SDP yet). */
    volatile InetSocketAddress sdpPeer;
    /** control: a new source with a new SSRC may take over the latch (after an SDP change). */
    volatile boolean relatchArmed;
    /** control: clock rate per RTP payload type (RFC 3551 §6 defaults, a=rtpmap overrides). */
    volatile int[] clockRates;

    /** loop: the learned source in {@link LatchMode#LATCH} mode, or null before the first packet. */
    volatile InetSocketAddress latched;
    /** loop: the last SSRC accepted (RTP header offset 8, RTCP offset 4). */
    int lastSsrc;
    /** loop. */
    final RtpReceiverStats rtpStats = new RtpReceiverStats();
    /** loop. */
    long bytes;
    /** loop; volatile, written last per packet. */
    volatile long packets;
    /** loop: RTP packets only (the media timeout looks at these). */
    volatile long rtpPackets;
    /** loop, rare paths. */
    volatile long droppedUnexpectedSource;
    volatile long droppedMalformed;
    volatile long droppedNoDestination;
    volatile long relatches;

    private static final VarHandle PACKETS;
    private static final VarHandle RTP_PACKETS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(RelayStream.class, "packets", long.class);
            RTP_PACKETS = l.findVarHandle(RelayStream.class, "rtpPackets", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    RelayStream(RelayLeg leg, int mediaIndex, StreamKind kind, int port, LatchMode mode, int[] clockRates) {
        this.leg = leg;
        this.mediaIndex = mediaIndex;
        this.kind = kind;
        this.port = port;
        this.mode = mode;
        this.clockRates = clockRates;
    }

    /** loop: one more accepted RTP packet; call before {@link #countPacket}. */
    void countRtpPacket() {
        RTP_PACKETS.setRelease(this, rtpPackets + 1); // only the loop writes: no read-modify-write race
    }

    /** loop: one more accepted packet, after every other counter of it (see the class comment). */
    void countPacket() {
        PACKETS.setRelease(this, packets + 1);
    }

    /** Where packets for this stream's party go: the latched source, else the SDP address. */
    InetSocketAddress destination() {
        if (mode == LatchMode.LATCH) {
            InetSocketAddress l = latched;
            if (l != null) {
                return l;
            }
        }
        return sdpPeer;
    }

    StreamStats snapshot() {
        long p = packets; // volatile read first, see the class comment
        return new StreamStats(leg.legId, mediaIndex, kind, port, destination(), p, bytes,
                kind == StreamKind.RTP ? rtpStats.lost() : 0, rtpStats.jitter(), rtpStats.jitterMillis(),
                droppedUnexpectedSource, droppedMalformed, droppedNoDestination, relatches);
    }

    @Override
    public String toString() {
        return "RelayStream[" + leg.legId + " m" + mediaIndex + " " + kind + " :" + port + "]";
    }
}
