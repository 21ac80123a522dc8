package io.edgesbc.sip.message;

/**
 * The choice of URI grammar by scheme (case-insensitive, RFC 3261 §19.1.4), over a span of a
 * text so that a URI inside a name-addr can be checked in place.
 */
final class Uris {
    private Uris() {}

    /**
     * Request-URI = SIP-URI / SIPS-URI / absoluteURI in [from, end) of {@code t}: validates it
     * and, when {@code build}, returns the typed URI (then t is its whole text), else null.
     * Exception offsets are offsets in {@code t}.
     */
    static Uri uri(String t, int from, int end, boolean build) {
        int colon = Scanner.schemeEnd(t, from, end);
        if (Scanner.spanIs(t, from, colon, "sip") || Scanner.spanIs(t, from, colon, "sips")) {
            return SipUri.sipUri(t, from, end, build);
        }
        if (Scanner.spanIs(t, from, colon, "tel")) {
            return TelUri.telephoneUri(t, from, end, build);
        }
        return OpaqueUri.absoluteUri(t, from, end, build);
    }
}
