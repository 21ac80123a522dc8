package io.edgesbc.server;

import io.edgesbc.sip.dialog.OptionsResponder;
import io.edgesbc.sip.dialog.TagGenerator;
import io.edgesbc.sip.dialog.UasCapabilities;
import io.edgesbc.sip.dialog.UasChecks;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.dialog.UasVerdict;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;

/**
 * The UAS checks of RFC 3261 §8.2 (505, 400, 405/501, 416, 482, 420, 415, 483 ...) for every
 * request, and what EdgeSBC answers a request no call takes: OPTIONS out of a dialog gets 200 with
 * our capabilities (§11.2), a new INVITE in a realm without a route gets 480, and a request inside
 * a dialog no call has gets 481 (§12.2.2).
 */
final class NoRouteUas implements SipCore.RequestHandler {

    /**
     * The methods calls relay inside their dialogs, and the option tags the B2BUA handles: 100rel
     * (RFC 3262, relayed or PRACKed per leg) and timer (RFC 4028, relayed and enforced).
     */
    static final UasCapabilities CAPABILITIES = UasCapabilities.defaults()
            .withAllowedMethods("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE", "PRACK", "INFO", "MESSAGE",
                    "NOTIFY", "SUBSCRIBE", "REFER")
            .withOptionTags("100rel", "timer")
            .withForwards(true);

    /**
     * The same for requests whose body EdgeSBC only carries to the other leg (INFO, MESSAGE,
     * NOTIFY, SUBSCRIBE, REFER, OPTIONS, BYE ...): any media type passes; the far end judges it
     * (§8.2.3 is about bodies the UAS must process). INVITE, UPDATE, PRACK and ACK bodies are
     * offers and answers the media relay reads, so they keep the SDP/multipart check.
     */
    static final UasCapabilities RELAYED_BODIES = CAPABILITIES.withBodyTypes("*/*");

    private static final java.util.Set<String> BODIES_WE_READ = java.util.Set.of("INVITE", "UPDATE", "PRACK", "ACK");

    /** Methods EdgeSBC takes outside a dialog: a new call, or OPTIONS answered here. */
    private static final String OUT_OF_DIALOG = "INVITE, ACK, CANCEL, BYE, OPTIONS";

    /** RFC 3261 §8.2, then {@link #respondUnrouted}: what EdgeSBC answers a request without a route. */
    SipResponse respond(SipRequest request, CallShard shard, TagGenerator tags) {
        UasVerdict verdict = check(request, shard, tags);
        if (verdict instanceof UasVerdict.Respond respond) {
            return respond.response();
        }
        if (verdict instanceof UasVerdict.Drop) {
            return null;
        }
        return respondUnrouted(request, tags);
    }

    @Override
    public UasVerdict check(SipRequest request, CallShard shard, TagGenerator tags) {
        UasCapabilities capabilities = request.toTag() != null && !BODIES_WE_READ.contains(request.method())
                ? RELAYED_BODIES : CAPABILITIES;
        return new UasChecks(capabilities, tags, shard.mergedRequests()).check(request);
    }

    @Override
    public SipResponse respondUnrouted(SipRequest request, TagGenerator tags) {
        if (request.toTag() != null) {
            return UasResponses.to(request, 481, "Call/Transaction Does Not Exist", tags).build();
        }
        return switch (request.method()) {
            case "OPTIONS" -> new OptionsResponder(CAPABILITIES, tags).respond(request);
            case "INVITE" -> UasResponses.to(request, 480, "Temporarily Unavailable", tags).build();
            // Requests that may start something of their own (RFC 3428, 6665, 3515) are not routed
            // outside a dialog: 405 with what is (§21.4.6).
            case "MESSAGE", "SUBSCRIBE", "REFER", "NOTIFY", "PUBLISH" ->
                    UasResponses.to(request, 405, "Method Not Allowed", tags).add(HeaderName.ALLOW, OUT_OF_DIALOG)
                            .build();
            default -> UasResponses.to(request, 481, "Call/Transaction Does Not Exist", tags).build();
        };
    }
}
