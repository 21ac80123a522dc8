package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.util.ArrayList;
import java.util.List;

/** Messages the transaction layer makes itself. */
final class Messages {
    private Messages() {
    }

    /**
     * A response made locally from a request (RFC 3261 §8.2.6.2): Via lines, From, To, Call-ID and
     * CSeq copied; no To tag is added. Used for 100 Trying (§17.2.1, which downgrades the To tag to
     * SHOULD NOT) and for the 408/503 a client TU is given (§8.1.3.1).
     */
    static SipResponse responseTo(SipRequest request, int status, String reason) {
        SipResponse.Builder b = SipResponse.builder(status, reason);
        for (String via : request.headers().lines(HeaderName.VIA)) {
            b.add(HeaderName.VIA, via);
        }
        copy(request, b, HeaderName.FROM);
        copy(request, b, HeaderName.TO);
        copy(request, b, HeaderName.CALL_ID);
        copy(request, b, HeaderName.CSEQ);
        if (status == 100) {
            // RFC 3261 §8.2.6.1: a 100 (Trying) copies the Timestamp of the request.
            copy(request, b, HeaderName.TIMESTAMP);
        }
        return b.build();
    }

    private static void copy(SipRequest request, SipResponse.Builder b, HeaderName name) {
        String value = request.headers().first(name);
        if (value != null) {
            b.add(name, value);
        }
    }

    /**
     * The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): the INVITE's Request-URI, Call-ID,
     * From and CSeq number (method ACK), the To of the response, only the INVITE's top Via, and the
     * INVITE's Route headers. Max-Forwards, mandatory in every request (§8.1.1.6), is the INVITE's.
     */
    static SipRequest ackFor(SipRequest invite, SipResponse response) {
        SipRequest.Builder b = SipRequest.builder("ACK", invite.requestUri());
        b.add(HeaderName.VIA, invite.topVia().toString());
        String maxForwards = invite.headers().first(HeaderName.MAX_FORWARDS);
        b.add(HeaderName.MAX_FORWARDS, maxForwards != null ? maxForwards : "70");
        List<String> routes = new ArrayList<>(invite.headers().lines(HeaderName.ROUTE));
        for (String route : routes) {
            b.add(HeaderName.ROUTE, route);
        }
        b.add(HeaderName.FROM, invite.headers().first(HeaderName.FROM));
        b.add(HeaderName.TO, response.headers().first(HeaderName.TO));
        b.add(HeaderName.CALL_ID, invite.callId());
        b.add(HeaderName.CSEQ, invite.cseq().number() + " ACK");
        return b.build();
    }
}
