package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.CSeq;
import io.edgesbc.sip.message.ContentType;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipSyntaxException;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.message.Uri;
import io.edgesbc.sip.message.Via;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The UAS request checks of RFC 3261 §8.2, in the RFC's order, from a request to a
 * {@link UasVerdict}: pass, a ready-to-send error response built per §8.2.6, or (ACK only) drop.
 *
 * <p>The order, first failure wins:
 * <ol>
 *   <li>505: SIP-Version other than SIP/2.0 (§7.1, §21.5.6; RFC 4475 §3.1.2.16). Nothing else of a
 *       message in another version can be trusted, so this comes first.</li>
 *   <li>400 / 501: the request is unusable (§8.2 preamble, §21.4.1; the reason phrase names the
 *       problem): a mandatory header missing (§8.1.1: Via, From, To, Call-ID, CSeq; Max-Forwards
 *       is not required, §16.6 lets a proxy add it), one of them malformed, the CSeq method differs
 *       from the start-line method (§8.1.1.5, RFC 4475 §3.1.2.17) <em>except</em> that an unknown
 *       method with a mismatching CSeq gets 501 (RFC 4475 §3.1.2.18 prefers it), headers in the
 *       Request-URI (§19.1.1 forbids them there; RFC 4475 §3.1.2.11 allows 400), a top Via branch
 *       that is only the magic cookie (RFC 4475 §3.2.1: no transaction can be matched on it; we
 *       take the 400 the RFC suggests rather than fall back to RFC 2543 matching), a malformed
 *       Contact (§20.10; RFC 4475 §3.1.2.13).</li>
 *   <li>501 + Allow for a method we do not know; 405 + Allow for one we know but do not allow
 *       (§8.2.1, §21.5.2).</li>
 *   <li>416 for a Request-URI scheme we do not accept (§8.2.2.1); 400 for a REGISTER whose To is not a
 *       SIP or SIPS URI (§10.2: the To of a REGISTER is an address-of-record; RFC 4475 §3.3.4).
 *       We do not answer 404 for URIs that are not ours: the B2BUA's routing decides that.</li>
 *   <li>482 for a merged request (§8.2.2.2), when a {@link MergedRequestDetector} is given.</li>
 *   <li>420 + Unsupported listing the option tags of Require we do not support (§8.2.2.3); never for
 *       CANCEL or ACK. Proxy-Require is for proxies (§20.29) and is not read by a UAS.</li>
 *   <li>483 for Max-Forwards 0 when the request will be forwarded (§16.3 item 3, RFC 4475
 *       §3.3.11). Choice: we do not take §16.3's option to answer such an OPTIONS ourselves, because
 *       it was meant for the target and our answer would describe us instead; an OPTIONS addressed to
 *       us (not forwarded) passes and is answered by {@link OptionsResponder}.</li>
 *   <li>400 for a body without Content-Type (§20.15) or with a malformed one; 415 for a body whose
 *       type, language or encoding we do not understand, with Accept, and Accept-Encoding or
 *       Accept-Language when those were the problem (§8.2.3). A body type we do not understand
 *       with Content-Disposition handling=optional is ignored instead (§20.11).</li>
 *   <li>406 + Warning 399 for an INVITE whose Accept rules out application/sdp, the only answer
 *       body we can send (§21.4.7, RFC 4475 §3.3.15).</li>
 * </ol>
 *
 * <p>ACK is never answered (§17.1.1.3, §17.2.1): where another request would get a response an
 * ACK gets {@link UasVerdict.Drop}. Authentication (§8.2 "starting with authentication", §22) is
 * the policy layer's and not done here.
 *
 * <p>Immutable and thread-safe when the tag generator is; the optional merged-request detector is
 * read here ({@link MergedRequestDetector#isMerged}) and belongs to the caller's event loop, which
 * records requests in it when it creates server transactions.
 */
public final class UasChecks {

    private final UasCapabilities capabilities;
    private final TagGenerator tags;
    private final MergedRequestDetector merged;

    public UasChecks(UasCapabilities capabilities, TagGenerator tags, MergedRequestDetector merged) {
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.tags = Objects.requireNonNull(tags, "tags");
        this.merged = merged;
    }

    /** Without merged-request detection (482 is never answered). */
    public UasChecks(UasCapabilities capabilities, TagGenerator tags) {
        this(capabilities, tags, null);
    }

    public UasCapabilities capabilities() {
        return capabilities;
    }

    /** Runs every check; forwarding as configured in the capabilities. */
    public UasVerdict check(SipRequest request) {
        return check(request, capabilities.forwards());
    }

    /**
     * Runs every check.
     *
     * @param forwards whether this request will be relayed onwards (decides 483)
     */
    public UasVerdict check(SipRequest request, boolean forwards) {
        UasVerdict v = version(request);
        if (v == null) {
            v = wellFormed(request);
        }
        if (v == null) {
            v = method(request);
        }
        if (v == null) {
            v = toAndRequestUri(request);
        }
        if (v == null) {
            v = merged(request);
        }
        if (v == null) {
            v = require(request);
        }
        if (v == null && forwards) {
            v = maxForwards(request);
        }
        if (v == null) {
            v = content(request);
        }
        if (v == null) {
            v = acceptableAnswer(request);
        }
        return v == null ? UasVerdict.pass() : v;
    }

    // ---- the checks, in order; each returns null when the request passes it ----------------

    /** §7.1: "SIP/2.0", compared case-insensitively; §21.5.6: 505 otherwise. */
    private UasVerdict version(SipRequest r) {
        if (SipMessage.SIP_2_0.equalsIgnoreCase(r.version())) {
            return null;
        }
        return reject(r, 505, "Version Not Supported", "SIP-Version " + r.version());
    }

    private UasVerdict wellFormed(SipRequest r) {
        // §8.1.1: the mandatory headers (Max-Forwards aside, see the class comment).
        for (HeaderName name : List.of(HeaderName.VIA, HeaderName.FROM, HeaderName.TO, HeaderName.CALL_ID,
                HeaderName.CSEQ)) {
            if (!r.headers().contains(name)) {
                return reject(r, 400, "Missing " + name.canonical() + " Header Field", "missing " + name);
            }
        }
        CSeq cseq;
        Via top;
        try {
            cseq = r.cseq();
            top = r.topVia();
            r.vias();
            r.from();
            r.to();
        } catch (SipSyntaxException e) {
            return reject(r, 400, "Bad Request", "malformed routing header: " + e.reason());
        }
        if (r.callId().isEmpty()) {
            return reject(r, 400, "Malformed Call-ID Header Field", "empty Call-ID");
        }
        // §8.1.1.5: the CSeq method MUST match the request's.
        if (!cseq.method().equals(r.method())) {
            if (!capabilities.knows(r.method())) {
                // RFC 4475 §3.1.2.18: unknown method and mismatch: 501 preferred over 400.
                return reject(r, 501, "Not Implemented", "unknown method " + r.method() + " (CSeq " + cseq + ")",
                        HeaderName.ALLOW, allow());
            }
            return reject(r, 400, "CSeq Method Does Not Match Request Method",
                    "CSeq method " + cseq.method() + " differs from " + r.method());
        }
        // §19.1.1 (table of URI components): headers are not allowed in a Request-URI.
        if (r.requestUri() instanceof SipUri uri && !uri.headers().isEmpty()) {
            return reject(r, 400, "Headers Not Allowed In Request-URI", "escaped headers in Request-URI");
        }
        // RFC 4475 §3.2.1: a branch that is just the cookie identifies no transaction.
        if (top != null && Via.MAGIC_COOKIE.equals(top.branch())) {
            return reject(r, 400, "Missing Transaction Identifier In Via Branch", "branch is only the magic cookie");
        }
        if (r.headers().contains(HeaderName.CONTACT)) {
            try {
                r.contact();
            } catch (SipSyntaxException e) {
                return reject(r, 400, "Malformed Contact Header Field", "malformed Contact: " + e.reason());
            }
        }
        return null;
    }

    /** §8.2.1: 405 with Allow for a known method we do not allow; §21.5.2: 501 for an unknown one. */
    private UasVerdict method(SipRequest r) {
        if (capabilities.allows(r.method())) {
            return null;
        }
        if (!capabilities.knows(r.method())) {
            return reject(r, 501, "Not Implemented", "unknown method " + r.method(), HeaderName.ALLOW, allow());
        }
        return reject(r, 405, "Method Not Allowed", "method " + r.method() + " not allowed", HeaderName.ALLOW,
                allow());
    }

    /** §8.2.2.1: 416 for a Request-URI scheme we do not understand. */
    private UasVerdict toAndRequestUri(SipRequest r) {
        Uri uri = r.requestUri();
        if (!capabilities.acceptsScheme(uri.scheme())) {
            return reject(r, 416, "Unsupported URI Scheme", "Request-URI scheme " + uri.scheme());
        }
        // §10.2 / RFC 4475 §3.3.4: the To of a REGISTER is an address-of-record, a SIP or SIPS URI.
        if ("REGISTER".equals(r.method()) && !(r.to().uri() instanceof SipUri)) {
            return reject(r, 400, "To Is Not A SIP Or SIPS Address-Of-Record",
                    "REGISTER To scheme " + r.to().uri().scheme());
        }
        return null;
    }

    /** §8.2.2.2: 482 for a request that reached us twice over different paths. */
    private UasVerdict merged(SipRequest r) {
        if (merged == null || r.toTag() != null || !merged.isMerged(r)) {
            return null;
        }
        return reject(r, 482, "Loop Detected", "merged request");
    }

    /** §8.2.2.3: 420 with Unsupported listing what we do not support; not for CANCEL or ACK. */
    private UasVerdict require(SipRequest r) {
        if ("CANCEL".equals(r.method()) || "ACK".equals(r.method())) {
            return null;
        }
        List<String> required;
        try {
            required = r.require();
        } catch (SipSyntaxException e) {
            return reject(r, 400, "Malformed Require Header Field", "malformed Require: " + e.reason());
        }
        List<String> unsupported = new ArrayList<>();
        for (String tag : required) {
            if (!capabilities.supports(tag) && !unsupported.contains(tag)) {
                unsupported.add(tag);
            }
        }
        if (unsupported.isEmpty()) {
            return null;
        }
        return reject(r, 420, "Bad Extension", "unsupported Require " + unsupported, HeaderName.UNSUPPORTED,
                String.join(", ", unsupported));
    }

    /** §16.3 item 3 (RFC 4475 §3.3.11): a request with Max-Forwards 0 is not forwarded: 483. */
    private UasVerdict maxForwards(SipRequest r) {
        int mf;
        try {
            mf = r.maxForwards();
        } catch (SipSyntaxException e) {
            return reject(r, 400, "Malformed Max-Forwards Header Field", "malformed Max-Forwards: " + e.reason());
        }
        if (mf != 0) {
            return null;
        }
        return reject(r, 483, "Too Many Hops", "Max-Forwards 0 on a request to forward");
    }

    /** §8.2.3: 415 for a body we cannot process; 400 for one without Content-Type (§20.15). */
    private UasVerdict content(SipRequest r) {
        if (!r.hasBody()) {
            return null;
        }
        ContentType type;
        List<String> codings;
        List<String> languages;
        try {
            type = r.contentType();
            codings = r.headers().values(HeaderName.CONTENT_ENCODING);
            languages = r.headers().values(HeaderName.CONTENT_LANGUAGE);
        } catch (SipSyntaxException e) {
            return reject(r, 400, "Malformed Content Header Field", "malformed body header: " + e.reason());
        }
        if (type == null) {
            return reject(r, 400, "Missing Content-Type Header Field", "body without Content-Type");
        }
        boolean badType = !capabilities.acceptsBodyType(type.mediaType()) && !optionalBody(r);
        boolean badEncoding = codings.stream().anyMatch(c -> !capabilities.acceptsEncoding(c));
        boolean badLanguage = languages.stream().anyMatch(l -> !capabilities.acceptsLanguage(l));
        if (!badType && !badEncoding && !badLanguage) {
            return null;
        }
        SipResponse.Builder b = UasResponses.to(r, 415, "Unsupported Media Type", tags)
                .add(HeaderName.ACCEPT, String.join(", ", capabilities.bodyTypes()));
        if (badEncoding) {
            b.add(HeaderName.ACCEPT_ENCODING, acceptEncoding(capabilities));
        }
        if (badLanguage) {
            b.add(HeaderName.ACCEPT_LANGUAGE, String.join(", ", capabilities.languages()));
        }
        String why = badType ? "body type " + type.mediaType() : badEncoding ? "content coding " + codings
                : "content language " + languages;
        return respondOrDrop(r, b.build(), why);
    }

    /** §20.11: an optional body part we do not understand is ignored, not rejected. */
    private static boolean optionalBody(SipRequest r) {
        String disposition = r.headers().first(HeaderName.CONTENT_DISPOSITION);
        if (disposition == null) {
            return false;
        }
        for (String part : disposition.split(";")) {
            String p = part.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (p.equals("handling=optional")) {
                return true;
            }
        }
        return false;
    }

    /** §21.4.7, RFC 4475 §3.3.15: our answer to an INVITE carries SDP; an Accept without it: 406. */
    private UasVerdict acceptableAnswer(SipRequest r) {
        if (!"INVITE".equals(r.method()) || !r.headers().contains(HeaderName.ACCEPT)) {
            return null;
        }
        List<String> accept;
        try {
            accept = r.headers().values(HeaderName.ACCEPT);
        } catch (SipSyntaxException e) {
            return reject(r, 400, "Malformed Accept Header Field", "malformed Accept: " + e.reason());
        }
        for (String range : accept) {
            int semi = range.indexOf(';');
            String media = (semi < 0 ? range : range.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            if (media.equals("application/sdp") || media.equals("application/*") || media.equals("*/*")) {
                return null;
            }
        }
        // §20.1: an empty Accept means no body is acceptable, which rules out SDP too.
        return reject(r, 406, "Not Acceptable", "Accept " + accept + " rules out application/sdp",
                HeaderName.WARNING, "399 " + capabilities.warnAgent()
                        + " \"Accept rules out application/sdp, the session description of the answer\"");
    }

    // ---- building answers ------------------------------------------------------------------

    private String allow() {
        return String.join(", ", capabilities.allowedMethods());
    }

    /** Accept-Encoding (§20.2): the codings we understand; "identity" when there are none. */
    static String acceptEncoding(UasCapabilities caps) {
        List<String> all = new ArrayList<>(caps.encodings());
        if (!all.contains("identity")) {
            all.add("identity");
        }
        return String.join(", ", all);
    }

    private UasVerdict reject(SipRequest r, int code, String reasonPhrase, String why) {
        if (isAck(r)) {
            return new UasVerdict.Drop(why);
        }
        return new UasVerdict.Respond(UasResponses.to(r, code, reasonPhrase, tags).build(), why);
    }

    private UasVerdict reject(SipRequest r, int code, String reasonPhrase, String why, HeaderName header,
                              String value) {
        if (isAck(r)) {
            return new UasVerdict.Drop(why);
        }
        return new UasVerdict.Respond(UasResponses.to(r, code, reasonPhrase, tags).add(header, value).build(), why);
    }

    private UasVerdict respondOrDrop(SipRequest r, SipResponse response, String why) {
        return isAck(r) ? new UasVerdict.Drop(why) : new UasVerdict.Respond(response, why);
    }

    private static boolean isAck(SipRequest r) {
        return "ACK".equals(r.method());
    }
}
