package io.edgesbc.sip.message;

/**
 * CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16): the sequence number and the method, which is
 * case-sensitive and must equal the request method (§8.1.1.5).
 *
 * @param number 0 .. 2^31-1 (§8.1.1.5: the number MUST be less than 2**31)
 * @param method a token
 */
public record CSeq(long number, String method) {
    /** The first number that is too large (§8.1.1.5). */
    private static final long LIMIT = 1L << 31;

    public CSeq {
        if (number < 0 || number >= LIMIT) {
            throw new SipSyntaxException("CSeq number must be 0 .. 2^31-1", -1);
        }
        if (!SipChars.isToken(method)) {
            throw new SipSyntaxException("CSeq method must be a token", -1);
        }
    }

    /**
     * Parses "4711 INVITE" (any LWS between the parts).
     *
     * @throws SipSyntaxException on a missing part, a number of 2^31 or more, or a non-token method
     */
    public static CSeq parse(String value) {
        Scanner s = new Scanner(value);
        s.sws();
        int start = s.pos;
        long number = s.digits("CSeq number");
        if (number >= LIMIT) {
            throw s.fail("CSeq number must be less than 2^31", start);
        }
        s.lws("between CSeq number and method");
        String method = s.token("CSeq method");
        s.sws();
        if (!s.atEnd()) {
            throw s.fail("unexpected character in CSeq");
        }
        return new CSeq(number, method);
    }

    /** "4711 INVITE". */
    @Override
    public String toString() {
        return number + " " + method;
    }
}
