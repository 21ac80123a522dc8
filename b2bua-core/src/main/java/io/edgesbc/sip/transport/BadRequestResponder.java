package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipSyntaxException;
import io.edgesbc.sip.parse.ResponseContext;
import java.util.function.Supplier;

/** Builds the 400 that answers a malformed request (RFC 3261 §8.2.6, §21.4.1). */
final class BadRequestResponder {

    private final String warnAgent;
    private final Supplier<String> tags;

    /**
     * @param warnAgent our host:port, the warn-agent of the Warning header (RFC 3261 §20.43)
     * @param tags a source of To-tags for the response (§8.2.6.2)
     */
    BadRequestResponder(String warnAgent, Supplier<String> tags) {
        this.warnAgent = warnAgent;
        this.tags = tags;
    }

    SipResponse respond(ResponseContext ctx, String reason) {
        SipResponse.Builder b = SipResponse.builder(400, "Bad Request");
        for (String via : ctx.vias()) {
            b.add(HeaderName.VIA, via);
        }
        if (ctx.from() != null) {
            b.add(HeaderName.FROM, ctx.from());
        }
        if (ctx.to() != null) {
            b.add(HeaderName.TO, withTag(ctx.to()));
        }
        if (ctx.callId() != null) {
            b.add(HeaderName.CALL_ID, ctx.callId());
        }
        b.add(HeaderName.CSEQ, ctx.cseq());
        // 399 = miscellaneous warning; the text tells the peer what we could not parse.
        b.add(HeaderName.WARNING, "399 " + warnAgent + " \"" + sanitize(reason) + "\"");
        return b.build();
    }

    private String withTag(String to) {
        try {
            NameAddr parsed = NameAddr.parse(to);
            return parsed.tag() != null ? to : parsed.withParameter("tag", tags.get()).toString();
        } catch (SipSyntaxException e) {
            return to; // the To itself is what is malformed: echo it as it came
        }
    }

    /** A quoted-string may not contain a bare quote or backslash, nor control characters. */
    private static String sanitize(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c == '"' || c == '\\' ? '\'' : c < 0x20 ? ' ' : c);
        }
        return b.toString();
    }
}
