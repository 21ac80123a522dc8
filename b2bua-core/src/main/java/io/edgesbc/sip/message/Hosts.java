package io.edgesbc.sip.message;

/**
 * host = hostname / IPv4address / IPv6reference and port (RFC 3261 §25.1), with the IPv6 grammar
 * as corrected by RFC 5954 §4.1 (the RFC 4291 textual forms, including an embedded IPv4 tail).
 */
final class Hosts {
    private Hosts() {}

    /** host at the cursor, lower-cased; an IPv6 reference keeps its brackets. */
    static String host(Scanner s) {
        int start = s.pos;
        s.pos = hostEnd(s.text, start, s.text.length());
        return SipChars.lower(s.text.substring(start, s.pos));
    }

    /**
     * host = hostname / IPv4address / IPv6reference at {@code p}: validates it and returns the
     * position after it, allocating nothing unless it fails.
     */
    static int hostEnd(String t, int p, int end) {
        if (p < end && t.charAt(p) == '[') {
            return ipv6ReferenceEnd(t, p, end);
        }
        int start = p;
        while (p < end && isHostChar(t.charAt(p))) {
            p++;
        }
        if (p == start) {
            throw Scanner.failAt("expected host", p);
        }
        if (!isIpv4(t, start, p) && !isHostname(t, start, p)) {
            throw Scanner.failAt("invalid host \"" + t.substring(start, p) + "\"", start);
        }
        return p;
    }

    private static boolean isHostChar(char c) {
        return SipChars.isAlphanum(c) || c == '-' || c == '.';
    }

    /** IPv6reference = "[" IPv6address "]"; returns the position after the ']'. */
    static int ipv6ReferenceEnd(String t, int p, int end) {
        if (p >= end || t.charAt(p) != '[') {
            throw Scanner.failAt("expected '['", p);
        }
        int close = t.indexOf(']', p + 1);
        if (close < 0 || close >= end) {
            throw Scanner.failAt("IPv6 reference without ']'", p);
        }
        if (!isIpv6(t, p + 1, close) && !isRfc3261BugForm(t.substring(p + 1, close))) {
            throw Scanner.failAt("invalid IPv6 address", p + 1);
        }
        return close + 1;
    }

    /** port = 1*DIGIT; the ABNF is unbounded but a port beyond 65535 cannot be used (RFC 793). */
    static int port(Scanner s) {
        int start = s.pos;
        s.pos = portEnd(s.text, start, s.text.length());
        return portValue(s.text, start, s.pos);
    }

    /** port at {@code p}: validates it (1*DIGIT, at most 65535) and returns the position after it. */
    static int portEnd(String t, int p, int end) {
        int start = p;
        long value = 0;
        while (p < end && SipChars.isDigit(t.charAt(p))) {
            // Saturates instead of overflowing: any number of leading zeros is still a valid port.
            value = Math.min(value * 10 + (t.charAt(p) - '0'), 65536);
            p++;
        }
        if (p == start) {
            throw Scanner.failAt("expected port", p);
        }
        if (value > 65535) {
            throw Scanner.failAt("port out of range", start);
        }
        return p;
    }

    /** The value of a port that {@link #portEnd} accepted. */
    static int portValue(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (t.charAt(i) - '0');
        }
        return value;
    }

    /** The whole string must be a host; returns it lower-cased (IPv6 with brackets added if missing). */
    static String validHost(String text) {
        if (text == null || text.isEmpty()) {
            throw new SipSyntaxException("empty host", 0);
        }
        String candidate = text.indexOf(':') >= 0 && text.charAt(0) != '[' ? "[" + text + "]" : text;
        int end = hostEnd(candidate, 0, candidate.length());
        if (end != candidate.length()) {
            throw Scanner.failAt("unexpected character after host", end);
        }
        return SipChars.lower(candidate);
    }

    /**
     * hostname = *( domainlabel "." ) toplabel [ "." ]; domainlabel = alphanum / alphanum *( alphanum
     * / "-" ) alphanum; toplabel starts with ALPHA.
     */
    static boolean isHostname(String h) {
        return isHostname(h, 0, h.length());
    }

    private static boolean isHostname(String h, int from, int to) {
        int end = to > from && h.charAt(to - 1) == '.' ? to - 1 : to;
        if (end == from) {
            return false;
        }
        int labelStart = from;
        int lastLabelStart = from;
        for (int i = from; i <= end; i++) {
            if (i == end || h.charAt(i) == '.') {
                if (!isLabel(h, labelStart, i)) {
                    return false;
                }
                lastLabelStart = labelStart;
                labelStart = i + 1;
            }
        }
        return SipChars.isAlpha(h.charAt(lastLabelStart));
    }

    private static boolean isLabel(String h, int from, int to) {
        if (from >= to || !SipChars.isAlphanum(h.charAt(from)) || !SipChars.isAlphanum(h.charAt(to - 1))) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = h.charAt(i);
            if (!SipChars.isAlphanum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** IPv4address = dec-octet 3( "." dec-octet ) (RFC 5954 tightened 3261's 1*3DIGIT to 0..255). */
    static boolean isIpv4(String h) {
        return isIpv4(h, 0, h.length());
    }

    static boolean isIpv4(String h, int from, int to) {
        int groups = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && SipChars.isDigit(h.charAt(i)) && i - start < 3) {
                value = value * 10 + (h.charAt(i) - '0');
                i++;
            }
            if (i == start || value > 255) {
                return false;
            }
            groups++;
            if (i == to) {
                return groups == 4;
            }
            if (h.charAt(i) != '.' || groups == 4) {
                return false;
            }
            i++;
        }
    }

    /**
     * IPv6address per RFC 4291 §2.2 (the RFC 5954 ABNF): eight 16-bit hex groups, one "::" may stand
     * for one or more zero groups, and the last 32 bits may be written as an IPv4 address.
     */
    static boolean isIpv6(String a) {
        return isIpv6(a, 0, a.length());
    }

    /** {@link #isIpv6(String)} over a span of {@code a}. */
    static boolean isIpv6(String a, int from, int to) {
        int dc = indexOf(a, "::", from, to);
        if (dc >= 0 && indexOf(a, "::", dc + 1, to) >= 0) {
            return false;
        }
        if (dc < 0) {
            return groups(a, from, to, true) == 8;
        }
        int left = dc == from ? 0 : groups(a, from, dc, false);
        int right = dc + 2 == to ? 0 : groups(a, dc + 2, to, true);
        return left >= 0 && right >= 0 && left + right <= 7;
    }

    private static int indexOf(String a, String what, int from, int to) {
        int i = a.indexOf(what, from);
        return i >= 0 && i + what.length() <= to ? i : -1;
    }

    /**
     * The RFC 3261 ABNF (from RFC 2373) lets a third colon precede an IPv4 tail after "::"
     * ("2001:db8:::192.0.2.1"); RFC 5954 fixed the grammar, but RFC 5118 §4.10 asks parsers to
     * tolerate the old form. We accept it and keep the text as written.
     */
    static boolean isRfc3261BugForm(String a) {
        int triple = a.indexOf(":::");
        if (triple < 0 || a.indexOf(":::", triple + 1) >= 0 || a.indexOf(':', triple + 3) >= 0) {
            return false;
        }
        return isIpv4(a, triple + 3, a.length()) && isIpv6(a.substring(0, triple) + "::" + a.substring(triple + 3));
    }

    /** Counts the h16 groups in [from,to) ("ls32" IPv4 tail counting 2); -1 when malformed. */
    private static int groups(String a, int from, int to, boolean ipv4TailAllowed) {
        int count = 0;
        int i = from;
        while (true) {
            int start = i;
            while (i < to && a.charAt(i) != ':') {
                i++;
            }
            int dot = a.indexOf('.', start);
            if (i == to && ipv4TailAllowed && dot >= 0 && dot < to) {
                return isIpv4(a, start, to) ? count + 2 : -1;
            }
            if (i == start || i - start > 4) {
                return -1;
            }
            for (int k = start; k < i; k++) {
                if (!SipChars.isHex(a.charAt(k))) {
                    return -1;
                }
            }
            count++;
            if (i == to) {
                return count;
            }
            i++; // the ':'
            if (i == to) {
                return -1; // trailing single ':'
            }
        }
    }
}
