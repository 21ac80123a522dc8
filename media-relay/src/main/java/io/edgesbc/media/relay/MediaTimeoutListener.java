package io.edgesbc.media.relay;

import java.time.Duration;

/** Told when a call's media stopped; the B2BUA then ends the call on both legs. */
@FunctionalInterface
public interface MediaTimeoutListener {

    /**
     * No RTP arrived on any stream of the call for at least the configured timeout. Called once
     * per silence, on the sweep thread; it must not block for long. Not called for bypassed calls.
     *
     * @param callId  the call
     * @param silence how long no RTP was seen
     * @param onHold  whether the hold timeout applied
     */
    void onMediaTimeout(String callId, Duration silence, boolean onHold);

    /** A listener that ignores timeouts. */
    static MediaTimeoutListener ignore() {
        return (callId, silence, onHold) -> { };
    }
}
