package io.edgesbc.server.policy;

import io.edgesbc.policy.HeaderLookup;
import io.edgesbc.policy.RequestView;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.message.TelUri;
import io.edgesbc.sip.message.Uri;
import java.net.InetSocketAddress;

/**
 * The {@link RequestView} the policy decides on, read from a received request: its transport
 * source and realm, method, Request-URI (user and host), From and To (user and domain), and the
 * other headers by name. Nothing is copied: header values are read from the message when a rule
 * asks for them.
 */
final class SipRequestView {

    private SipRequestView() {
    }

    static RequestView of(String realm, InetSocketAddress source, SipRequest request) {
        Uri ruri = request.requestUri();
        NameAddr from = request.from();
        NameAddr to = request.to();
        HeaderLookup headers = name -> request.headers().lines(HeaderName.of(name));
        return new RequestView(source.getAddress(), source.getPort(), realm, request.method(), ruri.toString(),
                user(ruri), host(ruri), from == null ? null : user(from.uri()), from == null ? null : host(from.uri()),
                to == null ? null : user(to.uri()), to == null ? null : host(to.uri()), headers);
    }

    /** The user part (RFC 3261 §19.1.1, unescaped); for a tel: URI (RFC 3966) its number. */
    static String user(Uri uri) {
        if (uri instanceof SipUri sip) {
            return sip.user();
        }
        if (uri instanceof TelUri tel) {
            return tel.number();
        }
        return null;
    }

    static String host(Uri uri) {
        return uri instanceof SipUri sip ? sip.host() : null;
    }
}
