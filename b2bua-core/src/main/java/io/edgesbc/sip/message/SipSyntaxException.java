package io.edgesbc.sip.message;

/**
 * A header value, URI or start line that does not match its RFC 3261 §25 grammar.
 *
 * <p>Thrown by the typed-value parsers ({@code SipUri.parse}, {@code Via.parse} ...). The codec
 * catches it and turns it into an invalid-message result, so it never escapes the codec; callers
 * that ask a message for a lazily parsed typed view may see it and must answer 400.
 */
public final class SipSyntaxException extends RuntimeException {
    private final String reason;
    private final int offset;

    /**
     * @param reason what is wrong, in words an operator understands ("bad port in sent-by")
     * @param offset where in the parsed text the problem was found (0-based), or -1 if unknown
     */
    public SipSyntaxException(String reason, int offset) {
        super(offset >= 0 ? reason + " (at " + offset + ")" : reason, null, false, false);
        this.reason = reason;
        this.offset = offset;
    }

    public String reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }
}
