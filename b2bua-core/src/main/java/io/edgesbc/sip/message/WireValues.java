package io.edgesbc.sip.message;

import java.nio.charset.StandardCharsets;

/**
 * The routing values in their everyday form, recognised straight in the received bytes: a
 * SIP-URI, a name-addr (From, To) and a via-parm, each validated and cut into the same offsets the
 * String parsers ({@link SipUri#parse}, {@link NameAddr#parse}, {@link Via#parse}) find, so that
 * the typed value is made without a String per header (its text is made from the bytes only if
 * someone asks for it).
 *
 * <p>Each method accepts only a narrow, common subset of its grammar and returns null for anything
 * else: whitespace other than the SP after sent-protocol or before a name-addr's {@code <},
 * %-escapes, schemes not written "sip:"/"sips:", userinfo passwords, IPv6 references, URI
 * headers, quoted-string or IPv6 parameter values, backslashes in display names, token display
 * names, addr-specs without {@code <>}, comma lists, parameters with value rules of their own
 * (ttl, maddr, and received other than IPv4), more than {@link Params#IN_PLACE_LIMIT} parameters,
 * and any byte outside SP..'~'. Null means "not decided here": the caller hands the value to the
 * String parser, which accepts or rejects it with its own reason and offset. Behaviour therefore
 * stays the String parsers' in every case; what is recognised here is what they accept, with the
 * same result (a property test compares the two on mutated messages).
 *
 * <p>The span [start, end) must be the value without the whitespace around it, as
 * {@link Headers#unfold} returns it. Not thread-safe: the codec keeps one per parsing thread (the
 * walk leaves the URI's parts in fields instead of allocating a holder).
 */
public final class WireValues {

    // Character classes of the bytes taken here (SP..'~' only; every other byte is in none), one
    // table lookup per byte instead of a range check and a SipChars lookup.
    private static final int TOKEN = 1;
    private static final int USER = 1 << 1;
    private static final int PARAM = 1 << 2;
    private static final int HOST = 1 << 3;     // alphanum / "-" / "."
    private static final int ALPHANUM = 1 << 4;
    private static final int DIGIT = 1 << 5;
    private static final int RECEIVED = 1 << 6; // HEXDIG / ":" / "." / "[" / "]" (Via.receivedEnd)
    private static final byte[] CLASSES = new byte[256];

    static {
        for (char c = ' '; c <= '~'; c++) {
            int k = 0;
            if (SipChars.isToken(c)) {
                k |= TOKEN;
            }
            if (SipChars.isUserChar(c)) {
                k |= USER;
            }
            if (SipChars.isParamChar(c)) {
                k |= PARAM;
            }
            if (SipChars.isAlphanum(c) || c == '-' || c == '.') {
                k |= HOST;
            }
            if (SipChars.isAlphanum(c)) {
                k |= ALPHANUM;
            }
            if (SipChars.isDigit(c)) {
                k |= DIGIT;
            }
            if (SipChars.isHex(c) || c == ':' || c == '.' || c == '[' || c == ']') {
                k |= RECEIVED;
            }
            CLASSES[c] = (byte) k;
        }
    }

    private static boolean is(byte c, int classes) {
        return (CLASSES[c & 0xff] & classes) != 0;
    }

    // Parts of the last SIP-URI walked, as absolute positions; userEnd is -1 without userinfo.
    private int userEnd;
    private int hostStart;
    private int hostEnd;
    private int port;
    private int paramsStart;
    // The value span of the one parameter a walk looks for (tag, branch); start -1 when absent or a flag.
    private int wantedStart;
    private int wantedEnd;

    // ---- SIP-URI (RFC 3261 §25.1, §19.1.1) ------------------------------------------------------

    /** A SIP or SIPS URI filling [start, end), or null when not in the everyday form. */
    public SipUri sipUri(byte[] b, int start, int end) {
        if (!sipUriShape(b, start, end)) {
            return null;
        }
        return SipUri.ofWire(b, start, end, b[start + 3] == 's', userEnd < 0 ? -1 : userEnd - start,
                hostStart - start, hostEnd - start, port, paramsStart - start);
    }

    /**
     * SIP-URI = "sip:" [ userinfo ] hostport uri-parameters, without password, escapes, IPv6 or
     * headers, filling [start, end); leaves the parts in the fields.
     */
    private boolean sipUriShape(byte[] b, int start, int end) {
        int p;
        if (end - start > 4 && b[start] == 's' && b[start + 1] == 'i' && b[start + 2] == 'p' && b[start + 3] == ':') {
            p = start + 4;
        } else if (end - start > 5 && b[start] == 's' && b[start + 1] == 'i' && b[start + 2] == 'p'
                && b[start + 3] == 's' && b[start + 4] == ':') {
            p = start + 5;
        } else {
            return false;
        }
        // userinfo ends at the first '@' (SipUri.sipUri does the same: no part may hold a bare '@').
        int at = indexOf(b, (byte) '@', p, end);
        userEnd = -1;
        if (at >= 0) {
            if (at == p) {
                return false;
            }
            for (int i = p; i < at; i++) {
                byte c = b[i];
                // user = 1*( unreserved / escaped / user-unreserved ); ':' (a password) and '%' are left out.
                if (!is(c, USER)) {
                    return false;
                }
            }
            userEnd = at;
            p = at + 1;
        }
        hostStart = p;
        p = hostEnd(b, p, end);
        if (p < 0) {
            return false;
        }
        hostEnd = p;
        port = -1;
        if (p < end && b[p] == ':') {
            int portEnd = portEnd(b, p + 1, end);
            if (portEnd < 0) {
                return false;
            }
            port = portValue(b, p + 1, portEnd);
            p = portEnd;
        }
        paramsStart = p;
        int count = 0;
        while (p < end && b[p] == ';') {
            if (++count > Params.IN_PLACE_LIMIT) {
                return false;
            }
            int name = p + 1;
            int nameEnd = paramcharsEnd(b, name, end);
            if (nameEnd == name) {
                return false;
            }
            int value = -1;
            p = nameEnd;
            if (p < end && b[p] == '=') {
                value = p + 1;
                p = paramcharsEnd(b, value, end);
                if (p == value) {
                    return false;
                }
            }
            if (!plainUriParameter(b, name, nameEnd, value, p) || occursBefore(b, paramsStart, name, nameEnd)) {
                return false;
            }
        }
        return p == end;
    }

    /**
     * The value rules of the known uri-parameters (§25.1): transport, user and method take a token
     * (checked here); ttl and maddr have rules of their own and are left to the String parser.
     */
    private static boolean plainUriParameter(byte[] b, int name, int nameEnd, int value, int valueEnd) {
        if (is(b, name, nameEnd, "transport") || is(b, name, nameEnd, "user") || is(b, name, nameEnd, "method")) {
            return value >= 0 && isToken(b, value, valueEnd);
        }
        return !is(b, name, nameEnd, "ttl") && !is(b, name, nameEnd, "maddr");
    }

    /** paramchar = param-unreserved / unreserved (escapes left out): the position after them. */
    private static int paramcharsEnd(byte[] b, int p, int end) {
        while (p < end && is(b[p], PARAM)) {
            p++;
        }
        return p;
    }

    // ---- name-addr (RFC 3261 §25.1: From, To) ---------------------------------------------------

    /**
     * {@code <SIP-URI>} or {@code "display" <SIP-URI>} (one SP or none before the {@code <}),
     * followed by token parameters without whitespace, filling [start, end); or null.
     */
    public NameAddr nameAddr(byte[] b, int start, int end) {
        int p = start;
        int displayStart = -1;
        if (p < end && b[p] == '"') {
            // quoted-string without quoted-pairs: qdtext in SP..'~' but '"' and '\'.
            displayStart = p;
            p++;
            while (p < end && b[p] != '"') {
                if (!plain(b[p]) || b[p] == '\\') {
                    return null;
                }
                p++;
            }
            if (p == end) {
                return null;
            }
            p++;
            if (p < end && b[p] == ' ') {
                p++;
            }
        }
        if (p >= end || b[p] != '<') {
            return null;
        }
        int uriStart = p + 1;
        int uriEnd = indexOf(b, (byte) '>', uriStart, end);
        if (uriEnd < 0 || !sipUriShape(b, uriStart, uriEnd)) {
            return null;
        }
        int paramsStart = uriEnd + 1;
        int paramsEnd = tokenParamsEnd(b, paramsStart, end);
        if (paramsEnd != end) {
            return null;
        }
        return NameAddr.ofWire(b, start, end, displayStart < 0 ? -1 : displayStart - start, uriStart - start,
                uriEnd - start, paramsStart - start, paramsEnd - start, wanted(b));
    }

    /**
     * *( ";" token [ "=" token ] ) without whitespace and without repeated names: the position
     * after it, or -1 when something else (another value form, too many parameters) comes first.
     */
    private int tokenParamsEnd(byte[] b, int p, int end) {
        int listStart = p;
        int count = 0;
        wantedStart = -1;
        while (p < end && b[p] == ';') {
            if (++count > Params.IN_PLACE_LIMIT) {
                return -1;
            }
            int name = p + 1;
            int nameEnd = tokenEnd(b, name, end);
            if (nameEnd == name) {
                return -1;
            }
            p = nameEnd;
            if (p < end && b[p] == '=') {
                int valueEnd = tokenEnd(b, p + 1, end);
                if (valueEnd == p + 1) {
                    return -1;
                }
                if (is(b, name, nameEnd, "tag")) {
                    wantedStart = p + 1;
                    wantedEnd = valueEnd;
                }
                p = valueEnd;
            }
            if (occursBefore(b, listStart, name, nameEnd)) {
                return -1;
            }
        }
        return p;
    }

    // ---- via-parm (RFC 3261 §25.1, RFC 3581) ----------------------------------------------------

    /**
     * {@code protocol/version/transport SP host[:port]} and token parameters without whitespace,
     * filling [start, end) (one via-parm: no comma); or null.
     */
    public Via via(byte[] b, int start, int end) {
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, without LWS
        int p = start;
        for (int part = 0; part < 3; part++) {
            int tokenEnd = tokenEnd(b, p, end);
            if (tokenEnd == p) {
                return null;
            }
            p = tokenEnd;
            if (part < 2) {
                if (p >= end || b[p] != '/') {
                    return null;
                }
                p++;
            }
        }
        if (p >= end || b[p] != ' ') {
            return null;
        }
        int hostStart = p + 1;
        int hostEnd = hostEnd(b, hostStart, end);
        if (hostEnd < 0) {
            return null;
        }
        p = hostEnd;
        int port = -1;
        if (p < end && b[p] == ':') {
            int portEnd = portEnd(b, p + 1, end);
            if (portEnd < 0) {
                return null;
            }
            port = portValue(b, p + 1, portEnd);
            p = portEnd;
        }
        int paramsStart = p;
        int count = 0;
        wantedStart = -1;
        while (p < end && b[p] == ';') {
            if (++count > Params.IN_PLACE_LIMIT) {
                return null;
            }
            int name = p + 1;
            int nameEnd = tokenEnd(b, name, end);
            if (nameEnd == name) {
                return null;
            }
            p = nameEnd;
            int value = -1;
            if (p < end && b[p] == '=') {
                value = p + 1;
                // via-received's value may hold ':' and '[' (IPv6), which end a token; the
                // String parser reads it with its own rule (Via.receivedEnd), taken here for IPv4.
                p = is(b, name, nameEnd, "received") ? receivedEnd(b, value, end) : tokenEnd(b, value, end);
                if (p == value) {
                    return null;
                }
            }
            if (!plainViaParameter(b, name, nameEnd, value, p) || occursBefore(b, paramsStart, name, nameEnd)) {
                return null;
            }
            if (value >= 0 && is(b, name, nameEnd, "branch")) {
                wantedStart = value;
                wantedEnd = p;
            }
        }
        if (p != end) {
            return null;
        }
        return Via.ofWire(b, start, end, hostStart - start, hostEnd - start, port, paramsStart - start, p - start,
                wanted(b));
    }

    /**
     * The value rules of Via.checkParam for the parameters taken here: branch a token (§25.1
     * via-branch), rport a flag or a port (RFC 3581 §3), received an IPv4 address; ttl and maddr
     * (and other received forms) go to the String parser.
     */
    private static boolean plainViaParameter(byte[] b, int name, int nameEnd, int value, int valueEnd) {
        if (is(b, name, nameEnd, "branch")) {
            return value >= 0; // a token by the walk
        }
        if (is(b, name, nameEnd, "rport")) {
            return value < 0 || (portEnd(b, value, valueEnd) == valueEnd);
        }
        if (is(b, name, nameEnd, "received")) {
            return value >= 0 && isIpv4(b, value, valueEnd);
        }
        return !is(b, name, nameEnd, "ttl") && !is(b, name, nameEnd, "maddr");
    }

    /** Via.receivedEnd over bytes: HEXDIG / ":" / "." / "[" / "]". */
    private static int receivedEnd(byte[] b, int p, int end) {
        while (p < end && is(b[p], RECEIVED)) {
            p++;
        }
        return p;
    }

    // ---- shared pieces ----------------------------------------------------------------------

    /** SP..'~': the only bytes taken here (no controls, no DEL, nothing beyond ASCII). */
    private static boolean plain(byte c) {
        return c >= ' ' && c <= '~';
    }

    private static int tokenEnd(byte[] b, int p, int end) {
        while (p < end && is(b[p], TOKEN)) {
            p++;
        }
        return p;
    }

    private static boolean isToken(byte[] b, int from, int to) {
        return from < to && tokenEnd(b, from, to) == to;
    }

    /**
     * host = hostname / IPv4address (Hosts.hostEnd without the IPv6 reference): the position
     * after it, or -1.
     */
    private static int hostEnd(byte[] b, int p, int end) {
        int start = p;
        boolean digitsAndDots = true;
        while (p < end && is(b[p], HOST)) {
            digitsAndDots &= b[p] == '.' || is(b[p], DIGIT);
            p++;
        }
        // Only digits and dots can be an IPv4address; anything else must be a hostname.
        if (p == start || !(digitsAndDots ? isIpv4(b, start, p) || isHostname(b, start, p) : isHostname(b, start, p))) {
            return -1;
        }
        return p;
    }

    /** Hosts.isIpv4 over bytes: four dec-octets 0..255 of one to three digits. */
    private static boolean isIpv4(byte[] b, int from, int to) {
        int groups = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9' && i - start < 3) {
                value = value * 10 + (b[i] - '0');
                i++;
            }
            if (i == start || value > 255) {
                return false;
            }
            groups++;
            if (i == to) {
                return groups == 4;
            }
            if (b[i] != '.' || groups == 4) {
                return false;
            }
            i++;
        }
    }

    /** Hosts.isHostname over bytes: labels of alphanum and inner '-', the last starting with ALPHA, optional final dot. */
    private static boolean isHostname(byte[] b, int from, int to) {
        int end = to > from && b[to - 1] == '.' ? to - 1 : to;
        if (end == from) {
            return false;
        }
        int labelStart = from;
        int lastLabelStart = from;
        for (int i = from; i <= end; i++) {
            if (i == end || b[i] == '.') {
                if (i == labelStart || !is(b[labelStart], ALPHANUM) || !is(b[i - 1], ALPHANUM)) {
                    return false;
                }
                lastLabelStart = labelStart;
                labelStart = i + 1;
            }
        }
        // Inner characters are alphanum or '-' by hostEnd's walk.
        return SipChars.isAlpha((char) b[lastLabelStart]);
    }

    /** port = 1*5DIGIT up to 65535 (longer forms, leading zeros beyond five digits, go to the String parser). */
    private static int portEnd(byte[] b, int p, int end) {
        int start = p;
        while (p < end && b[p] >= '0' && b[p] <= '9' && p - start < 5) {
            p++;
        }
        if (p == start || (p < end && b[p] >= '0' && b[p] <= '9') || portValue(b, start, p) > 65535) {
            return -1;
        }
        return p;
    }

    private static int portValue(byte[] b, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    /** Whether [from, to) is {@code lowerLiteral}, ASCII case-insensitive. */
    private static boolean is(byte[] b, int from, int to, String lowerLiteral) {
        if (to - from != lowerLiteral.length()) {
            return false;
        }
        for (int i = 0; i < lowerLiteral.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerLiteral.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the parameter name [name, nameEnd) occurs before it in the list from
     * {@code listStart} (";" name ["=" value] without whitespace), names compared ASCII
     * case-insensitively. The value of an earlier parameter ends at the next ';', which the
     * values taken here (tokens, paramchars, IPv4) never hold.
     */
    private static boolean occursBefore(byte[] b, int listStart, int name, int nameEnd) {
        int p = listStart;
        while (p + 1 < name) {
            int other = p + 1;
            int otherEnd = other;
            while (otherEnd < name && b[otherEnd] != '=' && b[otherEnd] != ';') {
                otherEnd++;
            }
            if (otherEnd - other == nameEnd - name && sameFolded(b, other, name, nameEnd - name)) {
                return true;
            }
            p = otherEnd;
            while (p < name && b[p] != ';') {
                p++;
            }
        }
        return false;
    }

    private static boolean sameFolded(byte[] b, int x, int y, int length) {
        for (int i = 0; i < length; i++) {
            int c = b[x + i];
            int d = b[y + i];
            if (c != d && (c | 0x20) != (d | 0x20)) {
                return false;
            }
            if (c != d && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value, as written, of the parameter the last walk looked for (names are unique by then,
     * so it is the one Params.value would find); null when absent or a flag.
     */
    private String wanted(byte[] b) {
        return wantedStart < 0 ? null : new String(b, wantedStart, wantedEnd - wantedStart, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
