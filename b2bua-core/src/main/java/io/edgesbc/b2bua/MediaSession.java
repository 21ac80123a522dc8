package io.edgesbc.b2bua;

import java.util.Objects;

/**
 * A call as the media relay sees it: an id of EdgeSBC's making (never one a party chose), the
 * realms of the caller's and the callee's legs, and the router's media policy.
 */
public record MediaSession(String id, String callerRealm, String calleeRealm, MediaPolicy policy) {

    /** The party an SDP body came from. */
    public enum Side { CALLER, CALLEE }

    public MediaSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callerRealm, "callerRealm");
        Objects.requireNonNull(calleeRealm, "calleeRealm");
        Objects.requireNonNull(policy, "policy");
    }
}
