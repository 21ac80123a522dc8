package io.edgesbc.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Character classes of the RFC 3261 §25.1 grammar and the %-escaping helpers (§19.1.2).
 *
 * <p>Classes are bit flags in a 128-entry table so that every check is one array access; anything
 * outside US-ASCII belongs to no class (the URI grammar only admits it %-escaped).
 */
final class SipChars {
    private static final int ALPHA = 1;
    private static final int DIGIT = 1 << 1;
    private static final int MARK = 1 << 2;           // "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    private static final int TOKEN = 1 << 3;          // token characters (alphanum included)
    private static final int USER_UNRESERVED = 1 << 4; // "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
    private static final int PASSWORD_EXTRA = 1 << 5;  // "&" / "=" / "+" / "$" / ","
    private static final int PARAM_UNRESERVED = 1 << 6; // "[" / "]" / "/" / ":" / "&" / "+" / "$"
    private static final int HNV_UNRESERVED = 1 << 7;  // "[" / "]" / "/" / "?" / ":" / "+" / "$"
    private static final int RESERVED = 1 << 8;        // ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / ","
    private static final int HEX = 1 << 9;

    private static final int[] TABLE = new int[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            TABLE[c] |= ALPHA | TOKEN;
            TABLE[Character.toUpperCase(c)] |= ALPHA | TOKEN;
        }
        for (char c = '0'; c <= '9'; c++) {
            TABLE[c] |= DIGIT | TOKEN | HEX;
        }
        for (char c = 'a'; c <= 'f'; c++) {
            TABLE[c] |= HEX;
            TABLE[Character.toUpperCase(c)] |= HEX;
        }
        mark("-_.!~*'()", MARK);
        mark("-.!%*_+`'~", TOKEN);
        mark("&=+$,;?/", USER_UNRESERVED);
        mark("&=+$,", PASSWORD_EXTRA);
        mark("[]/:&+$", PARAM_UNRESERVED);
        mark("[]/?:+$", HNV_UNRESERVED);
        mark(";/?:@&=+$,", RESERVED);
    }

    private SipChars() {}

    private static void mark(String chars, int flag) {
        for (int i = 0; i < chars.length(); i++) {
            TABLE[chars.charAt(i)] |= flag;
        }
    }

    private static boolean is(char c, int flags) {
        return c < 128 && (TABLE[c] & flags) != 0;
    }

    static boolean isAlpha(char c) {
        return is(c, ALPHA);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphanum(char c) {
        return is(c, ALPHA | DIGIT);
    }

    static boolean isHex(char c) {
        return is(c, HEX);
    }

    /** RFC 3261 §25.1 unreserved = alphanum / mark. */
    static boolean isUnreserved(char c) {
        return is(c, ALPHA | DIGIT | MARK);
    }

    static boolean isReserved(char c) {
        return is(c, RESERVED);
    }

    /** token characters (§25.1 token). */
    static boolean isToken(char c) {
        return is(c, TOKEN);
    }

    /** user = 1*( unreserved / escaped / user-unreserved ), without the escape itself. */
    static boolean isUserChar(char c) {
        return is(c, ALPHA | DIGIT | MARK | USER_UNRESERVED);
    }

    static boolean isPasswordChar(char c) {
        return is(c, ALPHA | DIGIT | MARK | PASSWORD_EXTRA);
    }

    /** paramchar = param-unreserved / unreserved / escaped, without the escape itself. */
    static boolean isParamChar(char c) {
        return is(c, ALPHA | DIGIT | MARK | PARAM_UNRESERVED);
    }

    /** hname / hvalue = hnv-unreserved / unreserved / escaped, without the escape itself. */
    static boolean isHeaderChar(char c) {
        return is(c, ALPHA | DIGIT | MARK | HNV_UNRESERVED);
    }

    /** uric = reserved / unreserved / escaped, without the escape itself (RFC 2396 as cited by §25.1). */
    static boolean isUric(char c) {
        return is(c, ALPHA | DIGIT | MARK | RESERVED);
    }

    /** WSP = SP / HTAB. */
    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isToken(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String lower(String s) {
        // Locale-independent: all grammar characters are ASCII.
        boolean upper = false;
        for (int i = 0; i < s.length() && !upper; i++) {
            char c = s.charAt(i);
            upper = c >= 'A' && c <= 'Z';
        }
        if (!upper) {
            return s;
        }
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] = (char) (out[i] + 32);
            }
        }
        return new String(out);
    }

    static String upper(String s) {
        boolean lower = false;
        for (int i = 0; i < s.length() && !lower; i++) {
            char c = s.charAt(i);
            lower = c >= 'a' && c <= 'z';
        }
        if (!lower) {
            // Already upper-case (the usual "UDP"): no copy.
            return s;
        }
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] = (char) (out[i] - 32);
            }
        }
        return new String(out);
    }

    private static int hexValue(char c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }

    /**
     * Resolves %HH escapes (RFC 3261 §19.1.2). The octets are read as UTF-8; malformed sequences
     * become U+FFFD, which is why the raw form is also kept where it matters. The caller has
     * already checked that every '%' is followed by two hex digits.
     */
    static String unescape(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                bytes.write(hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(enc, 0, enc.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Which characters may stay unescaped in a URI component. */
    @FunctionalInterface
    interface Allowed {
        boolean test(char c);
    }

    /**
     * Escapes, as UTF-8 %HH, every character the component's ABNF does not allow unescaped
     * (RFC 3261 §19.1.2: "escape what the ABNF does not allow"). '%' itself is always escaped
     * because the input is decoded text.
     */
    static String escape(String s, Allowed allowed) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' && allowed.test(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                appendEscape(out, b & 0xff);
            }
            i = end - 1;
        }
        return out == null ? s : out.toString();
    }

    private static void appendEscape(StringBuilder out, int b) {
        final String hex = "0123456789ABCDEF";
        out.append('%').append(hex.charAt(b >> 4)).append(hex.charAt(b & 0xf));
    }

    /**
     * The comparison form of an escaped component (RFC 3261 §19.1.4): characters outside the
     * "reserved" set are equivalent to their escape, so such escapes are resolved; escapes of
     * reserved characters and of non-ASCII octets stay escaped, with upper-case hex.
     */
    static String comparisonForm(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                int b = hexValue(raw.charAt(i + 1)) << 4 | hexValue(raw.charAt(i + 2));
                if (b < 0x80 && !isReserved((char) b)) {
                    out.append((char) b);
                } else {
                    appendEscape(out, b);
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
