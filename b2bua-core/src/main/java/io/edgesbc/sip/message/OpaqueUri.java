package io.edgesbc.sip.message;

import java.util.Objects;

/**
 * A URI of a scheme this stack does not interpret (RFC 3261 §25.1 absoluteURI): "mailto:",
 * "urn:", "http:" ... Only the character set is checked; the text is kept as written.
 *
 * <p>Scheme and scheme-specific part are cut out of the text on first use and remembered
 * (racy single-check on Strings: instances can be shared freely).
 */
public final class OpaqueUri implements Uri {
    private final String text;
    private final int colon;

    // Cut out of the text on first use.
    private String scheme;
    private String schemeSpecificPart;

    private OpaqueUri(String text, int colon) {
        this.text = text;
        this.colon = colon;
    }

    /**
     * Parses absoluteURI = scheme ":" ( hier-part / opaque-part ). Both alternatives are made of
     * uric characters (RFC 2396 §3), plus "[" / "]" which RFC 2732 added for IPv6 literals.
     *
     * @throws SipSyntaxException on a missing scheme, an empty or badly escaped remainder
     */
    public static OpaqueUri parse(String text) {
        Scanner.require(text);
        return absoluteUri(text, 0, text.length(), true);
    }

    /**
     * absoluteURI in [from, end) of {@code t}: validates it and, when {@code build}, returns the
     * URI (then t is its whole text). Exception offsets are offsets in {@code t}.
     */
    static OpaqueUri absoluteUri(String t, int from, int end, boolean build) {
        int colon = Scanner.schemeEnd(t, from, end);
        int p = colon + 1;
        if (p >= end) {
            throw Scanner.failAt("empty URI after scheme", p);
        }
        while (p < end) {
            char c = t.charAt(p);
            if (c == '%') {
                p = Scanner.escapedEnd(t, p, end);
            } else if (SipChars.isUric(c) || c == '[' || c == ']') {
                p++;
            } else {
                throw Scanner.failAt("character not allowed in URI", p);
            }
        }
        return build ? new OpaqueUri(t, colon) : null;
    }

    @Override
    public String scheme() {
        String s = scheme;
        if (s == null) {
            s = SipChars.lower(text.substring(0, colon));
            scheme = s;
        }
        return s;
    }

    /** Everything after the first ':', as written. */
    public String schemeSpecificPart() {
        String s = schemeSpecificPart;
        if (s == null) {
            s = text.substring(colon + 1);
            schemeSpecificPart = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueUri other
                && scheme().equals(other.scheme())
                && schemeSpecificPart().equals(other.schemeSpecificPart());
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme(), schemeSpecificPart());
    }

    @Override
    public String toString() {
        return text;
    }
}
