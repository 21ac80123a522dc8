package io.edgesbc.b2bua;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipUri;

/**
 * What a {@link CallRouter} may attach to a {@link RouteDecision.Route}: the seam through which a
 * router changes the UAC leg's INVITE and learns when the call is over, without the B2BUA knowing
 * why (policy number normalisation and header rules, admission permits ...).
 *
 * <p>Threading: both methods run on the call's shard thread and must not block.
 */
public interface CallHooks {

    /** No edits, nothing to release. */
    CallHooks NONE = new CallHooks() {
    };

    /**
     * Edits the UAC leg's INVITE after the B2BUA built it (Request-URI, our Via/From/To/Call-ID/
     * CSeq/Contact, the headers {@link TopologyHiding} let through, the body) and before it is
     * sent; called once per target tried (failover builds a new INVITE). A hook should change
     * only what it owns: user parts of the Request-URI, From and To, and end-to-end headers.
     * Dialog identifiers (tags, Call-ID, CSeq, Via, Contact) must stay as built.
     *
     * @param callerInvite the caller's INVITE on the UAS leg, as received
     * @param requestUri the Request-URI the B2BUA gave {@code uacInvite} (the target's, with the
     *        dialled user when the target has none); a hook that changes it sets a new one
     * @param uacInvite the UAC leg's INVITE being built
     */
    default void editUacInvite(SipRequest callerInvite, SipUri requestUri, SipRequest.Builder uacInvite) {
    }

    /**
     * The call is over, however it ended (answered and hung up, refused by the callee, cancelled,
     * timed out, transport error, never started because of a local error). The B2BUA calls it
     * exactly once per route it accepted.
     */
    default void onCallEnded() {
    }

    /** How the call's media is handled (anchored by default). */
    default MediaPolicy media() {
        return MediaPolicy.DEFAULT;
    }

    /** The names of the call's source and target trunk and routing rule, when the router knows them. */
    default CallLabels labels() {
        return CallLabels.NONE;
    }
}
