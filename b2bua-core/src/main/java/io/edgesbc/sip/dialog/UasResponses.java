package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipSyntaxException;

/**
 * Builds a UAS response to a request per RFC 3261 §8.2.6: the one place where EdgeSBC turns a
 * request into its response (UAS checks, OPTIONS, the SIP core's final answers).
 */
public final class UasResponses {
    private UasResponses() {
    }

    /**
     * A response to {@code request}: status line, then (§8.2.6.2) every Via in order, From, To with a
     * tag added when the request had none, Call-ID and CSeq copied. Headers the request lacked are
     * left out (only possible for requests built by hand: the codec rejects them earlier).
     *
     * @param tags makes the To-tag (§8.2.6.2: a UAS MUST add one when absent, except for 100);
     *        may be null for a request that has a To-tag (in a dialog)
     */
    public static SipResponse.Builder to(SipRequest request, int statusCode, String reasonPhrase, TagGenerator tags) {
        SipResponse.Builder b = SipResponse.builder(statusCode, safeReason(reasonPhrase));
        for (String via : request.headers().lines(HeaderName.VIA)) {
            b.add(HeaderName.VIA, via);
        }
        String from = request.headers().first(HeaderName.FROM);
        if (from != null) {
            b.add(HeaderName.FROM, from);
        }
        String to = request.headers().first(HeaderName.TO);
        if (to != null) {
            b.add(HeaderName.TO, statusCode == 100 ? to : withTag(to, tags));
        }
        String callId = request.headers().first(HeaderName.CALL_ID);
        if (callId != null) {
            b.add(HeaderName.CALL_ID, callId);
        }
        String cseq = request.headers().first(HeaderName.CSEQ);
        if (cseq != null) {
            b.add(HeaderName.CSEQ, cseq);
        }
        return b;
    }

    private static String withTag(String to, TagGenerator tags) {
        if (tags == null) {
            tags = () -> {
                throw new IllegalStateException("request without To-tag and no tag generator: " + to);
            };
        }
        // The To is copied as written; header parameters come last in a name-addr / addr-spec
        // (§20.39), so the tag is appended as text.
        try {
            if (NameAddr.parse(to).tag() != null) {
                return to;
            }
        } catch (SipSyntaxException e) {
            // An unreadable To (only in hand-built requests) is copied all the same.
        }
        return to + ";tag=" + tags.next();
    }

    /** Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB): no CR/LF. */
    public static String safeReason(String reason) {
        StringBuilder b = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            b.append(c < 0x20 && c != '\t' || c == 0x7f ? ' ' : c);
        }
        return b.toString();
    }
}
