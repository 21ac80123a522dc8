package io.edgesbc.server.policy;

import io.edgesbc.b2bua.CallHooks;
import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.MediaPolicy;
import io.edgesbc.policy.CodecRules;
import io.edgesbc.policy.MediaRules;
import io.edgesbc.policy.HeaderRules;
import io.edgesbc.policy.Rewrites;
import io.edgesbc.policy.admission.CallPermit;
import io.edgesbc.sip.message.Header;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.message.TelUri;
import io.edgesbc.sip.message.Uri;
import java.util.HashSet;
import java.util.Set;

/**
 * What one routed call carries from its policy decision: the number rewrites and header rules of
 * its rule, applied to each UAC-leg INVITE, and its admission permit, released when the call ends.
 *
 * <p>Order of the edits: the user parts first (Request-URI, From, To), then the header rules in
 * the order {@link HeaderRules} documents: pass-only, remove, replace, add. Headers the B2BUA
 * builds for the leg itself (Via, From, To, Call-ID, CSeq, Contact, Max-Forwards, Content-*,
 * Route, Record-Route) are never touched by header rules: the loader refuses such rules, and
 * this class skips them again in case a compact form slipped through.
 */
final class PolicyEdits implements CallHooks {

    private static final Set<HeaderName> ESSENTIAL = Set.of(HeaderName.VIA, HeaderName.FROM, HeaderName.TO,
            HeaderName.CALL_ID, HeaderName.CSEQ, HeaderName.CONTACT, HeaderName.MAX_FORWARDS,
            HeaderName.CONTENT_LENGTH, HeaderName.CONTENT_TYPE, HeaderName.ROUTE, HeaderName.RECORD_ROUTE,
            HeaderName.of("Content-Encoding"), HeaderName.of("Content-Disposition"),
            HeaderName.of("Content-Language"));

    private final Rewrites rewrites;
    private final HeaderRules headers;
    private final CallPermit permit;
    private final Set<HeaderName> passOnly;
    private final MediaPolicy media;
    private final CallLabels labels;

    /** @param permit the admission permit to release when the call ends, or null when none was taken */
    PolicyEdits(Rewrites rewrites, HeaderRules headers, CallPermit permit) {
        this(rewrites, headers, permit, MediaPolicy.DEFAULT, CallLabels.NONE);
    }

    /**
     * @param media the decision's media and codec rules, for the media anchor
     * @param labels source trunk, target trunk and rule of the call, for metrics and CDRs
     */
    PolicyEdits(Rewrites rewrites, HeaderRules headers, CallPermit permit, MediaPolicy media, CallLabels labels) {
        this.rewrites = rewrites;
        this.headers = headers;
        this.permit = permit;
        this.media = java.util.Objects.requireNonNull(media, "media");
        this.labels = java.util.Objects.requireNonNull(labels, "labels");
        Set<HeaderName> names = new HashSet<>();
        for (String n : headers.passOnly()) {
            names.add(HeaderName.of(n));
        }
        this.passOnly = Set.copyOf(names);
    }

    CallPermit permit() {
        return permit;
    }

    @Override
    public MediaPolicy media() {
        return media;
    }

    @Override
    public CallLabels labels() {
        return labels;
    }

    /**
     * The policy's {@code media:} and {@code codecs:} of a route as the B2BUA's {@link MediaPolicy}:
     * bypass or anchor; latching as "latch"/"strict" and the timeout, null where the policy left
     * them to the relay; codec names upper case (encoding names compare case-insensitively,
     * RFC 4855 §3), the order without duplicates.
     */
    static MediaPolicy mediaPolicy(MediaRules media, CodecRules codecs) {
        return new MediaPolicy(media.mode() == MediaRules.Mode.BYPASS,
                media.latching() == null ? null : media.latching().name().toLowerCase(java.util.Locale.ROOT),
                media.timeout(), Set.copyOf(codecs.allow()), Set.copyOf(codecs.deny()), codecs.order());
    }

    @Override
    public void editUacInvite(SipRequest callerInvite, SipUri requestUri, SipRequest.Builder b) {
        if (rewrites.requestUriUser() != null) {
            b.requestUri(requestUri.toBuilder().user(rewrites.requestUriUser()).build());
        }
        if (rewrites.fromUser() != null) {
            withUser(b, HeaderName.FROM, rewrites.fromUser());
        }
        if (rewrites.toUser() != null) {
            withUser(b, HeaderName.TO, rewrites.toUser());
        }
        applyHeaderRules(callerInvite, b);
    }

    @Override
    public void onCallEnded() {
        if (permit != null) {
            permit.release();
        }
    }

    /** Puts {@code user} into the URI of the From or To the B2BUA built (display name and tag kept). */
    private static void withUser(SipRequest.Builder b, HeaderName name, String user) {
        String value = b.first(name);
        if (value == null) {
            return;
        }
        NameAddr addr = NameAddr.parse(value);
        Uri uri = addr.uri();
        Uri rewritten;
        if (uri instanceof SipUri sip) {
            rewritten = sip.toBuilder().user(user).build();
        } else if (uri instanceof TelUri) {
            rewritten = TelUri.parse("tel:" + user); // RFC 3966: the number is the whole URI
        } else {
            return;
        }
        b.set(name, addr.withUri(rewritten).toString());
    }

    private void applyHeaderRules(SipRequest callerInvite, SipRequest.Builder b) {
        if (!passOnly.isEmpty()) {
            // Every header that came from the caller and is not listed goes; ours stay.
            for (Header h : callerInvite.headers()) {
                if (!ESSENTIAL.contains(h.name()) && !passOnly.contains(h.name())) {
                    b.remove(h.name());
                }
            }
        }
        for (String name : headers.remove()) {
            HeaderName n = HeaderName.of(name);
            if (!ESSENTIAL.contains(n)) {
                b.remove(n);
            }
        }
        for (HeaderRules.Header h : headers.replace()) {
            HeaderName n = HeaderName.of(h.name());
            if (!ESSENTIAL.contains(n) && b.first(n) != null) {
                b.set(n, h.value()); // replace only what is there; add: adds
            }
        }
        for (HeaderRules.Header h : headers.add()) {
            HeaderName n = HeaderName.of(spelled(h.name()));
            if (!ESSENTIAL.contains(n)) {
                b.add(n, h.value());
            }
        }
    }

    /**
     * Rule files' header names arrive lower-case ({@link HeaderRules}); a header we add is written
     * in the usual capitalised form (x-edge-route -> X-Edge-Route). Header names compare
     * case-insensitively (RFC 3261 §7.3.1), so this is cosmetic, for the people reading traces.
     */
    static String spelled(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "PolicyEdits[" + rewrites + ", " + headers + "]";
    }
}
