package io.edgesbc.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Header parameters: {@code *( SEMI generic-param )} with generic-param = token [ EQUAL gen-value ]
 * and gen-value = token / host / quoted-string (RFC 3261 §25.1). Values are kept as written (a
 * quoted-string keeps its quotes) so that nothing is lost when a header is re-serialised.
 *
 * <p>Two forms. The span form ({@link #paramsEnd}) validates a list in place, allocating
 * nothing, for the values every message carries; the map form builds the parameter map, for
 * {@code parameters()} accessors and for the rarer headers.
 *
 * <p>Duplicate names are an error everywhere. The span form finds them by comparing a new name
 * with the earlier ones in place; that is quadratic, so a list longer than {@link #IN_PLACE_LIMIT}
 * is re-checked with a map instead (a crafted message with thousands of parameters must not
 * cost seconds).
 */
final class Params {
    /** Lists up to this long are checked for duplicate names without a map. */
    static final int IN_PLACE_LIMIT = 16;

    private Params() {}

    // ---- span form ------------------------------------------------------------------------

    /**
     * The lists that share this walk differ only in how a value ends and what is checked: a Via's
     * received may be a bare IPv6 address, which is no gen-value, and its ttl, maddr, received,
     * branch and rport have value rules of their own (§25.1 via-params, RFC 3581 §3).
     */
    enum Rule { GENERIC, VIA }

    /**
     * *( SEMI param ) at {@code p}: validates the list, rejects a repeated name, and returns the
     * position after the last parameter (before any trailing LWS).
     */
    static int paramsEnd(Rule rule, String t, int p, int end) {
        int listStart = p;
        int count = 0;
        // One bit per (length, folded first letter) of the names seen: a name whose bit is not
        // set cannot repeat an earlier one, so the rescan below runs only on a possible repeat.
        long seen = 0;
        int name;
        while ((name = Scanner.separatorEnd(t, p, end, ';')) >= 0) {
            if (++count > IN_PLACE_LIMIT) {
                return params(rule, t, listStart, end, new LinkedHashMap<>());
            }
            int nameEnd = Scanner.tokenEnd(t, name, end, rule == Rule.VIA ? "Via parameter name" : "parameter name");
            int value = Scanner.separatorEnd(t, nameEnd, end, '=');
            p = value < 0 ? nameEnd : valueEnd(rule, t, name, nameEnd, value, end);
            if (rule == Rule.VIA) {
                Via.checkParam(t, name, nameEnd, value, p);
            }
            long bit = 1L << (((nameEnd - name) * 31 + (t.charAt(name) | 0x20)) & 63);
            if ((seen & bit) != 0 && occursBefore(rule, t, listStart, name, nameEnd)) {
                throw duplicate(t, name, nameEnd);
            }
            seen |= bit;
        }
        return p;
    }

    /** The value of parameter [name, nameEnd) starting at {@code value}: the position after it. */
    private static int valueEnd(Rule rule, String t, int name, int nameEnd, int value, int end) {
        if (rule == Rule.VIA && Scanner.spanIs(t, name, nameEnd, "received")) {
            return Via.receivedEnd(t, value, end);
        }
        return genValueEnd(t, value, end);
    }

    /** gen-value = token / host / quoted-string at {@code p}: the position after it. */
    static int genValueEnd(String t, int p, int end) {
        char c = p < end ? t.charAt(p) : 0;
        if (c == '"') {
            return Scanner.quotedStringEnd(t, p, end);
        }
        if (c == '[') {
            return Hosts.ipv6ReferenceEnd(t, p, end);
        }
        return Scanner.tokenEnd(t, p, end, "parameter value");
    }

    /** Whether the name [name, nameEnd) already occurs in the validated list [listStart, name). */
    private static boolean occursBefore(Rule rule, String t, int listStart, int name, int nameEnd) {
        int p = listStart;
        int other;
        while ((other = Scanner.separatorEnd(t, p, name, ';')) >= 0 && other < name) {
            int otherEnd = Scanner.tokenEnd(t, other, name, "parameter name");
            if (sameName(t, other, otherEnd, name, nameEnd)) {
                return true;
            }
            int value = Scanner.separatorEnd(t, otherEnd, name, '=');
            p = value < 0 ? otherEnd : valueEnd(rule, t, other, otherEnd, value, name);
        }
        return false;
    }

    /** Token names are ASCII and compared case-insensitively (RFC 3261 §7.3.1). */
    static boolean sameName(String t, int a, int aEnd, int b, int bEnd) {
        return aEnd - a == bEnd - b && t.regionMatches(true, a, t, b, aEnd - a);
    }

    private static SipSyntaxException duplicate(String t, int name, int nameEnd) {
        return duplicate(SipChars.lower(t.substring(name, nameEnd)), name);
    }

    private static SipSyntaxException duplicate(String lowerName, int offset) {
        // Two values for one name (two tags, two branches) cannot be resolved safely.
        return Scanner.failAt("duplicate parameter " + lowerName, offset);
    }

    /**
     * The value, as written, of the parameter named {@code lowerName} in a validated list; null
     * when there is none or it is a flag. Used for the one value a message needs at once (a tag,
     * a branch) without building the map.
     */
    static String value(Rule rule, String t, int p, int end, String lowerName) {
        int name;
        while ((name = Scanner.separatorEnd(t, p, end, ';')) >= 0) {
            int nameEnd = Scanner.tokenEnd(t, name, end, "parameter name");
            int value = Scanner.separatorEnd(t, nameEnd, end, '=');
            p = value < 0 ? nameEnd : valueEnd(rule, t, name, nameEnd, value, end);
            if (Scanner.spanIs(t, name, nameEnd, lowerName)) {
                return value < 0 ? null : t.substring(value, p);
            }
        }
        return null;
    }

    /** The parameters of a validated list as an unmodifiable map (names lower-cased, values as written). */
    static Map<String, String> map(Rule rule, String t, int p, int end) {
        Map<String, String> into = new LinkedHashMap<>();
        params(rule, t, p, end, into);
        // Filled before wrapping: the wrapper's final field publishes the full map (JLS §17.5).
        return Collections.unmodifiableMap(into);
    }

    /** *( SEMI param ) into {@code into}, validating as {@link #paramsEnd}; returns the position after it. */
    private static int params(Rule rule, String t, int p, int end, Map<String, String> into) {
        int name;
        while ((name = Scanner.separatorEnd(t, p, end, ';')) >= 0) {
            int nameEnd = Scanner.tokenEnd(t, name, end, rule == Rule.VIA ? "Via parameter name" : "parameter name");
            int value = Scanner.separatorEnd(t, nameEnd, end, '=');
            p = value < 0 ? nameEnd : valueEnd(rule, t, name, nameEnd, value, end);
            if (rule == Rule.VIA) {
                Via.checkParam(t, name, nameEnd, value, p);
            }
            put(into, SipChars.lower(t.substring(name, nameEnd)), value < 0 ? null : t.substring(value, p), name);
        }
        return p;
    }

    private static void put(Map<String, String> into, String name, String value, int offset) {
        if (into.containsKey(name)) {
            throw duplicate(name, offset);
        }
        into.put(name, value);
    }

    // ---- cursor form, for the rarer headers ------------------------------------------------

    /** *( SEMI generic-param ) into {@code into}; stops before anything that is not a ';'. */
    static void genericParams(Scanner s, Map<String, String> into) {
        s.pos = params(Rule.GENERIC, s.text, s.pos, s.text.length(), into);
    }

    /** generic-param = token [ EQUAL gen-value ]; names lower-cased (they are case-insensitive). */
    static void genericParam(Scanner s, Map<String, String> into) {
        int start = s.pos;
        String name = SipChars.lower(s.token("parameter name"));
        String value = s.acceptSeparator('=') ? genValue(s) : null;
        put(s, into, name, value, start);
    }

    static void put(Scanner s, Map<String, String> into, String name, String value, int offset) {
        put(into, name, value, offset);
    }

    /** gen-value = token / host / quoted-string, as written. */
    static String genValue(Scanner s) {
        int start = s.pos;
        s.pos = genValueEnd(s.text, start, s.text.length());
        return s.text.substring(start, s.pos);
    }

    /** Checks a programmatic parameter (name token, value null or a gen-value). */
    static void check(String name, String value) {
        if (!SipChars.isToken(name)) {
            throw new SipSyntaxException("parameter name must be a token: " + name, -1);
        }
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            throw Scanner.failAt("empty parameter value (use null for a flag)", 0);
        }
        int end = genValueEnd(value, 0, value.length());
        if (end != value.length()) {
            throw Scanner.failAt("parameter value must be a token, host or quoted-string", end);
        }
    }

    static void append(StringBuilder b, Map<String, String> params) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            b.append(';').append(p.getKey());
            if (p.getValue() != null) {
                b.append('=').append(p.getValue());
            }
        }
    }
}
