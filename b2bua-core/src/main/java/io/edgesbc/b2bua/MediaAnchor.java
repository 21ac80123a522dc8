package io.edgesbc.b2bua;

import reactor.core.publisher.Mono;

/**
 * The seam between a call and the media relay: every SDP body the B2BUA relays from one party to
 * the other goes through {@link #offer} or {@link #answer} (RFC 3264 offer/answer: INVITE and its
 * 2xx/reliable 18x, re-INVITE, UPDATE, PRACK, ACK with an answer), and what comes back is the
 * body the other party gets. When a call ends, {@link #release} gives its ports back.
 *
 * <p>Threading: a call asks from its shard thread; the relay binds sockets, so an implementation
 * does its work elsewhere and completes the {@link Mono} on any thread; the call moves back to
 * its shard before acting on the outcome. Every operation is idempotent per (call, side, body).
 */
public interface MediaAnchor {

    /** No relay: bodies pass unchanged (the SDP then names the parties' own addresses). */
    MediaAnchor PASS_THROUGH = new MediaAnchor() {
        @Override
        public Mono<MediaOutcome> offer(MediaSession session, MediaSession.Side from, byte[] sdp) {
            return Mono.just(new MediaOutcome.Rewritten(sdp));
        }

        @Override
        public Mono<MediaOutcome> answer(MediaSession session, MediaSession.Side from, byte[] sdp) {
            return Mono.just(new MediaOutcome.Rewritten(sdp));
        }

        @Override
        public Mono<MediaSummary> release(MediaSession session) {
            return Mono.just(MediaSummary.NONE);
        }
    };

    /**
     * An SDP offer from the party on {@code from}. The first offer of a session creates it with
     * the session's realms and policy; later ones are updates (re-INVITE, UPDATE, hold).
     */
    Mono<MediaOutcome> offer(MediaSession session, MediaSession.Side from, byte[] sdp);

    /** The SDP answer from the party on {@code from} to the last offer, which came from the other side. */
    Mono<MediaOutcome> answer(MediaSession session, MediaSession.Side from, byte[] sdp);

    /** The call is over: its ports go back to the pools. Harmless for unknown or released sessions. */
    Mono<MediaSummary> release(MediaSession session);

    /**
     * Registers who is told when a session's media stops (no RTP for its timeout): the listener
     * gets {@link MediaSession#id()} and ends the call. Implementations without timeouts ignore it.
     */
    default void onMediaTimeout(java.util.function.Consumer<String> listener) {
    }
}
