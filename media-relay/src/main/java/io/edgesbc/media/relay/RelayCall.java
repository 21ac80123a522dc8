package io.edgesbc.media.relay;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * A relayed call: two legs, the event loop all its sockets live on, and its negotiation and
 * timeout state. Control fields are guarded by this object's monitor; sweep fields are touched
 * only by the sweep (one run at a time).
 */
final class RelayCall {

    final String callId;
    final boolean bypass;
    /** The latch mode of every stream of this call, or null for each realm's own. */
    final LatchMode latchMode;
    /** This call's media timeout in nanoseconds, or -1 for the relay's. */
    final long timeoutNanos;
    /** All sockets of the call are registered here, so forwarding never crosses threads. */
    final EventLoop loop;
    /** [0] sent the first offer; [1] is the other leg. */
    final RelayLeg[] legs;

    /** control: index of the leg whose offer the next answer answers, or -1. */
    int offerer = -1;
    /** control: set once; requests then fail with UnknownCall. */
    boolean deleted;

    /**
     * control → metrics: the call's streams as of its last control request, published so that
     * {@link MediaRelay#metrics()} can read their counters without taking this monitor.
     */
    volatile List<RelayStream> published = List.of();

    /** control → sweep: clock time of the last SDP change. */
    volatile long lastControlNanos;
    /** control → sweep: the call is on hold (the hold timeout applies). */
    volatile boolean onHold;

    /** sweep only. */
    long sweepRtpPackets;
    long sweepRtpChangedNanos;
    /** sweep only: the silence start already reported, so each silence is reported once. */
    long notifiedSince = Long.MIN_VALUE;

    RelayCall(String callId, CallOptions options, EventLoop loop, RelayLeg offerer, RelayLeg answerer,
              long nowNanos) {
        this.callId = callId;
        this.bypass = options.bypass();
        this.latchMode = options.latchMode();
        this.timeoutNanos = options.mediaTimeout() == null ? -1 : options.mediaTimeout().toNanos();
        this.loop = loop;
        this.legs = new RelayLeg[] {offerer, answerer};
        this.lastControlNanos = nowNanos;
        this.sweepRtpChangedNanos = nowNanos;
    }

    /** The index of the leg with this id; names the answering leg if it has no id yet; -1 if neither. */
    int legIndex(String legId) {
        if (legId.equals(legs[0].legId)) {
            return 0;
        }
        if (legs[1].legId == null) {
            legs[1].legId = legId;
        }
        return legId.equals(legs[1].legId) ? 1 : -1;
    }

    /** The latch mode for a new stream on {@code leg}. */
    LatchMode latchModeOn(RelayLeg leg) {
        return latchMode != null ? latchMode : leg.realm.config().latchMode();
    }

    /** Publishes the current streams for the metrics (under the monitor). */
    void publish() {
        published = deleted ? List.of() : List.copyOf(streams());
    }

    /** Every stream of both legs. */
    List<RelayStream> streams() {
        List<RelayStream> out = new ArrayList<>();
        for (RelayLeg leg : legs) {
            if (leg == null) {
                continue;
            }
            for (RelaySection s : leg.sections) {
                if (s != null) {
                    out.add(s.rtp());
                    out.add(s.rtcp());
                }
            }
        }
        return out;
    }

    /** RTP packets accepted on all streams (volatile reads). */
    long rtpPackets(List<RelayStream> streams) {
        long n = 0;
        for (RelayStream s : streams) {
            n += s.rtpPackets;
        }
        return n;
    }

    CallStats snapshot() {
        List<StreamStats> stats = new ArrayList<>();
        for (RelayStream s : streams()) {
            stats.add(s.snapshot());
        }
        return new CallStats(callId, bypass, onHold, stats);
    }
}
