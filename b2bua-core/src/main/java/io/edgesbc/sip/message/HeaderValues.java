package io.edgesbc.sip.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Small header-value grammars of RFC 3261 §25.1 that need no class of their own: list splitting,
 * token lists, the numeric headers and quoted-string conversion.
 */
public final class HeaderValues {
    /** The largest delta-seconds value (RFC 3261 §20.19, §20.23: 0 to (2**32)-1). */
    public static final long MAX_DELTA_SECONDS = 0xFFFF_FFFFL;

    private HeaderValues() {}

    /**
     * Splits a header value at its top-level commas (RFC 3261 §7.3.1: a comma-separated list is
     * equivalent to several header lines). Commas inside a quoted-string (with \" escapes) or
     * inside &lt;...&gt; do not split. Elements are trimmed of LWS; empty elements are dropped.
     *
     * @throws SipSyntaxException on an unterminated quoted-string or a '&lt;' without '&gt;'
     */
    public static List<String> splitList(String value) {
        List<int[]> ranges = ranges(value);
        List<String> out = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            out.add(value.substring(r[0], r[1]));
        }
        return Collections.unmodifiableList(out);
    }

    /** The [start, end) ranges of the non-empty, trimmed list elements. */
    static List<int[]> ranges(String value) {
        Scanner s = new Scanner(value);
        List<int[]> out = new ArrayList<>();
        int start = 0;
        while (!s.atEnd()) {
            char c = s.peek();
            if (c == '"') {
                skipQuoted(s);
            } else if (c == '<') {
                int close = value.indexOf('>', s.pos);
                if (close < 0) {
                    throw s.fail("'<' without '>'");
                }
                s.pos = close + 1;
            } else if (c == ',') {
                addTrimmed(value, start, s.pos, out);
                s.pos++;
                start = s.pos;
            } else {
                s.pos++;
            }
        }
        addTrimmed(value, start, value.length(), out);
        return out;
    }

    /** Skips a quoted-string loosely (any character but an unescaped DQUOTE), for splitting only. */
    private static void skipQuoted(Scanner s) {
        int start = s.pos++;
        while (!s.atEnd() && !s.at('"')) {
            s.pos += s.at('\\') ? 2 : 1;
        }
        if (s.atEnd()) {
            throw s.fail("unterminated quoted-string", start);
        }
        s.pos++;
    }

    private static void addTrimmed(String value, int from, int to, List<int[]> out) {
        while (from < to && SipChars.isWsp(value.charAt(from))) {
            from++;
        }
        while (to > from && SipChars.isWsp(value.charAt(to - 1))) {
            to--;
        }
        if (to > from) {
            out.add(new int[] {from, to});
        }
    }

    /**
     * An option-tag or method list (Require, Supported, Unsupported, Proxy-Require, Allow):
     * comma-separated tokens; an empty value is an empty list (Supported and Allow may be empty).
     *
     * @throws SipSyntaxException if an element is not a token
     */
    public static List<String> tokens(String value) {
        List<int[]> ranges = ranges(value);
        List<String> out = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            for (int i = r[0]; i < r[1]; i++) {
                if (!SipChars.isToken(value.charAt(i))) {
                    throw new SipSyntaxException("not a token character", i);
                }
            }
            out.add(value.substring(r[0], r[1]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Max-Forwards = 1*DIGIT (§20.22), which must fit 0..255 (§8.1.1.6 counts down from 70; RFC 4475
     * §3.1.2.4 treats 300 as out of range). Leading zeros are allowed ("0068" is 68).
     */
    public static int parseMaxForwards(String value) {
        Scanner s = new Scanner(value);
        long v = number(s, "Max-Forwards");
        if (v > 255) {
            throw s.fail("Max-Forwards out of range 0..255", 0);
        }
        return (int) v;
    }

    /** Content-Length = 1*DIGIT (§20.14); must fit in a long. A sign is not a DIGIT. */
    public static long parseContentLength(String value) {
        Scanner s = new Scanner(value);
        long v = number(s, "Content-Length");
        if (v == Long.MAX_VALUE) {
            throw s.fail("Content-Length out of range", 0);
        }
        return v;
    }

    /**
     * delta-seconds = 1*DIGIT (Expires, Min-Expires, Contact expires, Retry-After ...).
     *
     * <p>Choice: the ABNF is unbounded while §20.19 / §20.23 give the range 0..(2**32)-1; RFC 4475
     * §3.1.2.4 lets an element treat overlarge expiry values leniently instead of rejecting the
     * request. Values above (2**32)-1 are therefore clamped to {@link #MAX_DELTA_SECONDS} (a
     * registrar then applies its own maximum) rather than rejected.
     */
    public static long parseDeltaSeconds(String value) {
        Scanner s = new Scanner(value);
        return Math.min(number(s, "delta-seconds"), MAX_DELTA_SECONDS);
    }

    /** SWS 1*DIGIT SWS over the whole value; saturates to Long.MAX_VALUE on overflow. */
    private static long number(Scanner s, String what) {
        s.sws();
        long v = s.digits(what);
        s.sws();
        if (!s.atEnd()) {
            throw s.fail("unexpected character in " + what);
        }
        return v;
    }

    /**
     * The content of a quoted-string, quoted-pairs resolved: {@code "a \"b\""} gives {@code a "b"}.
     * LWS around the quotes is allowed.
     *
     * @throws SipSyntaxException if the text is not exactly one quoted-string
     */
    public static String unquote(String quotedString) {
        Scanner s = new Scanner(quotedString);
        s.sws();
        String q = s.quotedString();
        s.sws();
        if (!s.atEnd()) {
            throw s.fail("text after quoted-string");
        }
        return unquoteValid(q);
    }

    /** Resolves quoted-pairs of an already validated quoted-string (with its quotes). */
    static String unquoteValid(String q) {
        if (q.indexOf('\\') < 0) {
            return q.substring(1, q.length() - 1);
        }
        StringBuilder b = new StringBuilder(q.length());
        for (int i = 1; i < q.length() - 1; i++) {
            char c = q.charAt(i);
            if (c == '\\') {
                c = q.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * The quoted-string for some text: '"' and '\' and control characters become quoted-pairs
     * (§25.1 quoted-pair). CR and LF cannot be carried in a quoted-string at all.
     *
     * @throws SipSyntaxException if the text contains CR or LF
     */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new SipSyntaxException("CR or LF cannot be quoted", i);
            }
            if (c == '"' || c == '\\' || (c < 0x20 && c != '\t') || c == 0x7f) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
