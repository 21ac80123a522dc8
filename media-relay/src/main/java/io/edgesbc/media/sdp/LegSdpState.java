package io.edgesbc.media.sdp;

import java.util.Optional;

/**
 * What was last sent on one leg: the caller keeps one per leg and passes it to each
 * {@link SdpRewriter#rewrite} call, replacing it with {@link SdpRewriter.Result#state()}.
 *
 * <p>It fixes the leg's {@code o=} username, session id and address after the first description
 * and lets the rewriter bump {@code <sess-version>} only when the content changed (RFC 3264 §8).
 * Immutable.
 */
public final class LegSdpState {

    private static final LegSdpState INITIAL = new LegSdpState(null);

    private final SessionDescription lastSent;

    private LegSdpState(SessionDescription lastSent) {
        this.lastSent = lastSent;
    }

    /** The state of a leg on which nothing was sent yet. */
    public static LegSdpState initial() {
        return INITIAL;
    }

    static LegSdpState after(SessionDescription sent) {
        return new LegSdpState(sent);
    }

    /** The description last sent on the leg, if any. */
    public Optional<SessionDescription> lastSent() {
        return Optional.ofNullable(lastSent);
    }

    @Override
    public String toString() {
        return lastSent == null ? "LegSdpState[initial]" : "LegSdpState[o=" + lastSent.origin().text() + "]";
    }
}
