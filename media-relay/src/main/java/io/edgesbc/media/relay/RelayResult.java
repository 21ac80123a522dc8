package io.edgesbc.media.relay;

import io.edgesbc.media.sdp.RelayAllocation;
import io.edgesbc.media.sdp.SessionDescription;
import java.util.Optional;

/**
 * The outcome of an {@link MediaRelay} offer, answer or update: the description to send on the
 * other leg, or why there is none. Failures are values, not exceptions.
 */
public sealed interface RelayResult {

    /** Whether this is {@link Relayed}. */
    default boolean isRelayed() {
        return this instanceof Relayed;
    }

    /**
     * Success.
     *
     * @param description the description to send on the other leg
     * @param allocation  the relay endpoints written into it; empty when the call bypasses the relay
     */
    record Relayed(SessionDescription description, Optional<RelayAllocation> allocation) implements RelayResult {
    }

    /** A refusal; nothing of the request remains allocated. */
    sealed interface Failure extends RelayResult {
        /** A one-line reason for logs. */
        String reason();
    }

    /**
     * The realm's port range has no free RTP/RTCP pair (a B2BUA answers 503, RFC 3261 §21.5.4).
     *
     * @param realm the exhausted realm
     */
    record PortsExhausted(String realm) implements Failure {
        @Override
        public String reason() {
            return "no free RTP/RTCP port pair on realm " + realm;
        }
    }

    /**
     * No such call (never offered, or deleted).
     *
     * @param callId the call id asked for
     */
    record UnknownCall(String callId) implements Failure {
        @Override
        public String reason() {
            return "unknown call " + callId;
        }
    }

    /**
     * The request does not fit the call's state or the configuration (unknown realm or leg, a
     * leg answering its own offer, a third leg, a description the relay cannot map).
     *
     * @param reason what is wrong
     */
    record Rejected(String reason) implements Failure {
    }

    /**
     * A socket could not be bound (e.g. the address is not local, or ports in the range are
     * used by another process).
     *
     * @param realm the realm
     * @param reason the cause
     */
    record BindFailed(String realm, String reason) implements Failure {
    }
}
