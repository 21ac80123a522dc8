package io.edgesbc.sip.message;

/**
 * A URI as it appears in a Request-URI or inside a name-addr / addr-spec (RFC 3261 §25.1
 * Request-URI = SIP-URI / SIPS-URI / absoluteURI). SIP and SIPS URIs and RFC 3966 tel URIs get a
 * typed view; every other scheme is kept as an {@link OpaqueUri}.
 *
 * <p>Instances are immutable; {@code toString()} is the wire form.
 */
public sealed interface Uri permits SipUri, TelUri, OpaqueUri {

    /** The scheme, lower-cased: "sip", "sips", "tel" or any other. */
    String scheme();

    /** The wire form: the parsed text when unchanged, a canonical form otherwise. */
    @Override
    String toString();

    /**
     * Parses a URI, choosing the typed view by scheme (case-insensitive, RFC 3261 §19.1.4).
     *
     * @throws SipSyntaxException if the text is not a valid URI of its scheme
     */
    static Uri parse(String text) {
        Scanner.require(text);
        return Uris.uri(text, 0, text.length(), true);
    }
}
