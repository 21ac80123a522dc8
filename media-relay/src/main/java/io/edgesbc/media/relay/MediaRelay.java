package io.edgesbc.media.relay;

import io.edgesbc.media.sdp.SessionDescription;
import java.util.Optional;

/**
 * The media relay's control API: the B2BUA hands it every SDP body it relays and sends on the
 * description it gets back. A call has two legs; each leg faces one party through one realm.
 * See {@code docs/MEDIA-RELAY.md} for the model and the offer/answer rules.
 *
 * <p>Every operation is idempotent: repeating a request with the same description returns the
 * same description (same ports, same {@code o=} version) and changes nothing. Failures are
 * {@link RelayResult.Failure} values. Requests for one call are serialised: they all run on
 * the call's {@link #controlExecutor}, which is the cheapest place to make them (they complete
 * there without waiting for another thread). From any other thread a request is handed to that
 * executor and waited for, except from another of the relay's event loops, where waiting would
 * stall that loop's streams: there offer, answer and update return a
 * {@link RelayResult.Rejected} and delete throws.
 */
public interface MediaRelay extends AutoCloseable {

    /**
     * Where requests for {@code callId} run: the event loop that owns the call's sockets (fixed by
     * the id, also before the call exists). Requests made on it bind and close sockets in place.
     */
    java.util.concurrent.Executor controlExecutor(String callId);

    /**
     * An offer from {@code legId}: the first offer creates the call with {@code options} (later
     * offers ignore them). Ports are allocated for every accepted media section on both legs:
     * those on the offerer's realm go into the answer later sent back to the offerer, those on
     * the other realm into the returned offer. An offer on an existing call is an
     * {@link #update}.
     */
    RelayResult offer(String callId, String legId, SessionDescription offer, CallOptions options);

    /**
     * The answer from {@code legId} to the last offer, which must have come from the other leg.
     * The first answer names the call's second leg. The result is the answer for the offerer.
     */
    RelayResult answer(String callId, String legId, SessionDescription answer);

    /**
     * A new offer within an existing call from either leg (re-INVITE, UPDATE, hold and resume).
     * Ports of existing media sections are kept; new sections get new ports. If the
     * description differs from the leg's previous one, that leg's streams may re-latch on a
     * new source that sends a new SSRC.
     */
    RelayResult update(String callId, String legId, SessionDescription offer);

    /**
     * Ends a call: closes its sockets and returns its ports. Returns the final statistics, or
     * empty if the call is unknown (so deleting twice is harmless).
     */
    Optional<CallStats> delete(String callId);

    /** The statistics of a call now, or empty if unknown. */
    Optional<CallStats> stats(String callId);

    /** Relay-wide counters. */
    RelayMetrics metrics();

    /** Whether the data plane uses native epoll (else NIO). */
    boolean nativeTransport();

    /** Deletes every call and stops the data plane and the sweep. */
    @Override
    void close();

    /** A relay with the system clock and a daemon sweep thread. */
    static MediaRelay create(RelayConfig config, MediaTimeoutListener listener) {
        return create(config, listener, NanoClock.system(), Ticker.daemon());
    }

    /** A relay with an injected clock and ticker (for tests in fake time). */
    static MediaRelay create(RelayConfig config, MediaTimeoutListener listener, NanoClock clock, Ticker ticker) {
        return new NettyMediaRelay(config, listener, clock, ticker);
    }
}
