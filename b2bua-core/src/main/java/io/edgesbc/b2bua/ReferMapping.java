package io.edgesbc.b2bua;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.transport.ListenPoint;
import java.util.Map;

/**
 * Makes REFER (RFC 3515) and Replaces (RFC 3891) make sense on the other leg without showing it
 * anything of the first: the Refer-To and Referred-By URIs keep their user part and point at
 * EdgeSBC's address on the receiving leg (so the referee's INVITE comes back through us and is
 * routed by policy); an embedded or header Replaces naming one of EdgeSBC's dialogs is rewritten
 * to the matching dialog on the other side of that call; one naming no dialog we know is removed
 * (the transfer then happens as an unattended one).
 *
 * <p>Limit: the dialog a Replaces names is looked up among the calls of the same shard.
 */
final class ReferMapping {

    private ReferMapping() {
    }

    /** The REFER relayed to {@code target}: Refer-To and Referred-By re-homed, Replaces mapped. */
    static void rewrite(Call call, Call.Leg target, SipRequest refer, SipRequest.Builder out) {
        ListenPoint point = call.pointOf(target);
        String referTo = refer.headers().first(HeaderName.REFER_TO);
        if (referTo != null) {
            out.set(HeaderName.REFER_TO, rehome(call.engine(), referTo, point, true));
        }
        String referredBy = refer.headers().first(HeaderName.REFERRED_BY);
        if (referredBy != null) {
            out.set(HeaderName.REFERRED_BY, rehome(call.engine(), referredBy, point, false));
        }
    }

    private static String rehome(CallEngine engine, String value, ListenPoint point, boolean keepReplaces) {
        NameAddr address;
        try {
            address = NameAddr.parse(value);
        } catch (RuntimeException e) {
            return "<" + ours(null, point).build() + ">";
        }
        if (!(address.uri() instanceof SipUri sip)) {
            return address.toString(); // tel: and the like name no host of ours or theirs
        }
        SipUri.Builder uri = ours(sip.user(), point);
        String method = sip.parameter("method");
        if (method != null) {
            uri.param("method", method);
        }
        if (keepReplaces) {
            for (Map.Entry<String, String> header : sip.headers().entrySet()) {
                if (header.getKey().equalsIgnoreCase("Replaces")) {
                    String mapped = engine.mapReplaces(header.getValue());
                    if (mapped != null) {
                        uri.header("Replaces", mapped);
                    }
                }
            }
        }
        NameAddr rehomed = NameAddr.of(address.displayName(), uri.build());
        for (Map.Entry<String, String> p : address.parameters().entrySet()) {
            rehomed = rehomed.withParameter(p.getKey(), p.getValue());
        }
        return rehomed.toString();
    }

    private static SipUri.Builder ours(String user, ListenPoint point) {
        SipUri.Builder b = SipUri.builder().host(point.advertisedHost()).port(point.address().getPort());
        if (user != null) {
            b.user(user);
        }
        return b;
    }
}
