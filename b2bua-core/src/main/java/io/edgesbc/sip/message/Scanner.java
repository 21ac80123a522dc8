package io.edgesbc.sip.message;

/**
 * The shared terminals (LWS, SEMI, EQUAL, token, quoted-string ...) of RFC 3261 §25.1 and the
 * failure helper that reports the offset.
 *
 * <p>Two forms: static methods over {@code (text, pos, end)} that return the position after the
 * rule they consume, used by the per-message parsers (URIs, name-addr, Via) so that a parse
 * allocates no cursor; and a small cursor object over one whole value, built on the static
 * methods, for the rarer values (CSeq, Content-Type, Retry-After ...). The static methods
 * bound every look at {@code end}, so a rule can be checked inside a larger string (a URI inside
 * a name-addr) without a substring; offsets in exceptions are offsets in that larger string.
 */
final class Scanner {
    final String text;
    int pos;

    Scanner(String text) {
        this.text = require(text);
    }

    /** Every parse entry point rejects null the same way. */
    static String require(String text) {
        if (text == null) {
            throw new SipSyntaxException("missing value", 0);
        }
        return text;
    }

    static SipSyntaxException failAt(String reason, int offset) {
        return new SipSyntaxException(reason, offset);
    }

    // ---- static terminals over (text, pos, end) ------------------------------------------

    /** SWS = [LWS]; values arrive unfolded, so LWS is a run of SP / HTAB. */
    static int swsEnd(String t, int p, int end) {
        while (p < end && SipChars.isWsp(t.charAt(p))) {
            p++;
        }
        return p;
    }

    /**
     * SEMI = SWS ";" SWS, EQUAL, SLASH, COLON alike: the position after the separator with its
     * optional LWS, or -1 when {@code c} does not come next (after optional LWS).
     */
    static int separatorEnd(String t, int p, int end, char c) {
        int q = swsEnd(t, p, end);
        if (q < end && t.charAt(q) == c) {
            return swsEnd(t, q + 1, end);
        }
        return -1;
    }

    /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
    static int tokenEnd(String t, int p, int end, String what) {
        int start = p;
        while (p < end && SipChars.isToken(t.charAt(p))) {
            p++;
        }
        if (p == start) {
            throw failAt("expected " + what, p);
        }
        return p;
    }

    /** quoted-string = DQUOTE *(qdtext / quoted-pair ) DQUOTE; {@code p} must be at the DQUOTE. */
    static int quotedStringEnd(String t, int p, int end) {
        int start = p;
        if (p >= end || t.charAt(p) != '"') {
            throw failAt("expected '\"'", p);
        }
        p++;
        while (true) {
            if (p >= end) {
                throw failAt("unterminated quoted-string", start);
            }
            char c = t.charAt(p);
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\') {
                p = quotedPairEnd(t, p, end);
            } else if (isQdtext(c)) {
                p++;
            } else {
                throw failAt("character not allowed in quoted-string", p);
            }
        }
    }

    /** quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F); {@code p} is at the backslash. */
    private static int quotedPairEnd(String t, int p, int end) {
        p++;
        char c = p < end ? t.charAt(p) : 0;
        if (p >= end || c == '\r' || c == '\n' || c > 0x7f) {
            throw failAt("bad quoted-pair", p);
        }
        return p + 1;
    }

    /**
     * scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3261 §25.1), which must be followed
     * by ':'; returns the position of that ':'.
     */
    static int schemeEnd(String t, int p, int end) {
        if (p >= end || !SipChars.isAlpha(t.charAt(p))) {
            throw failAt("URI must start with a scheme", p);
        }
        while (p < end && isSchemeChar(t.charAt(p))) {
            p++;
        }
        if (p >= end || t.charAt(p) != ':') {
            throw failAt("expected ':' after the URI scheme", p);
        }
        return p;
    }

    private static boolean isSchemeChar(char c) {
        return SipChars.isAlphanum(c) || c == '+' || c == '-' || c == '.';
    }

    /** escaped = "%" HEXDIG HEXDIG (RFC 3261 §25.1); {@code p} is at the '%'. */
    static int escapedEnd(String t, int p, int end) {
        if (p + 1 >= end || !SipChars.isHex(t.charAt(p + 1)) || p + 2 >= end || !SipChars.isHex(t.charAt(p + 2))) {
            throw failAt("bad %-escape", p);
        }
        return p + 3;
    }

    /** ASCII case-insensitive comparison of a span with a lower-case literal (names, schemes). */
    static boolean spanIs(String t, int from, int to, String lowerLiteral) {
        // Length and the first letter (| 0x20 lower-cases ASCII letters) reject most spans cheaply;
        // a false "maybe" from a non-letter is settled by regionMatches.
        return to - from == lowerLiteral.length()
                && (to == from || (t.charAt(from) | 0x20) == lowerLiteral.charAt(0))
                && t.regionMatches(true, from, lowerLiteral, 0, to - from);
    }

    // ---- cursor form ---------------------------------------------------------------------

    boolean atEnd() {
        return pos >= text.length();
    }

    /** The current character, or 0 at the end (0 belongs to no character class). */
    char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    boolean at(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    boolean accept(char c) {
        if (at(c)) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c, String what) {
        if (!accept(c)) {
            throw fail("expected " + what);
        }
    }

    SipSyntaxException fail(String reason) {
        return new SipSyntaxException(reason, pos);
    }

    SipSyntaxException fail(String reason, int offset) {
        return new SipSyntaxException(reason, offset);
    }

    /** SWS = [LWS]; values arrive unfolded, so LWS is a run of SP / HTAB. Returns whether any was skipped. */
    boolean sws() {
        int start = pos;
        pos = swsEnd(text, pos, text.length());
        return pos > start;
    }

    /** LWS: at least one SP / HTAB. */
    void lws(String what) {
        if (!sws()) {
            throw fail("expected whitespace " + what);
        }
    }

    /** SEMI = SWS ";" SWS, EQUAL, SLASH, COMMA alike: the separator with optional LWS around it. */
    boolean acceptSeparator(char c) {
        int after = separatorEnd(text, pos, text.length(), c);
        if (after < 0) {
            return false;
        }
        pos = after;
        return true;
    }

    /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
    String token(String what) {
        int start = pos;
        pos = tokenEnd(text, pos, text.length(), what);
        return text.substring(start, pos);
    }

    /** 1*DIGIT as a non-negative number; more digits than fit in a long saturate to Long.MAX_VALUE. */
    long digits(String what) {
        int start = pos;
        long value = 0;
        while (pos < text.length() && SipChars.isDigit(text.charAt(pos))) {
            int d = text.charAt(pos) - '0';
            value = value > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : value * 10 + d;
            pos++;
        }
        if (pos == start) {
            throw fail("expected " + what);
        }
        return value;
    }

    /**
     * quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE, returned as written (with the
     * quotes) so that the original text survives. The cursor must be at the DQUOTE.
     */
    String quotedString() {
        int start = pos;
        pos = quotedStringEnd(text, pos, text.length());
        return text.substring(start, pos);
    }

    /** qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII. */
    static boolean isQdtext(char c) {
        return c == ' ' || c == '\t' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
    }

    /** scheme ":" at the cursor (RFC 3261 §25.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), lower-cased. */
    String uriScheme() {
        int start = pos;
        int colon = schemeEnd(text, pos, text.length());
        pos = colon + 1;
        return SipChars.lower(text.substring(start, colon));
    }
}
