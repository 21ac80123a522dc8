package io.edgesbc.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tel URI (RFC 3966 §3): {@code tel:+1-201-555-0123;ext=1234} or a local number with its
 * mandatory {@code ;phone-context=}. Minimal view: the number as written, whether it is global, and
 * the parameters. Immutable; prints the text it was parsed from.
 *
 * <p>{@link #parse} validates the whole URI but keeps only offsets; the number and the parameter
 * map are cut out on first use and remembered. Thread-safety: as {@link SipUri} (racy
 * single-check on immutable values), instances can be shared freely.
 */
public final class TelUri implements Uri {
    /** "tel:" whatever the scheme's case: the number starts here. */
    private static final int NUMBER_START = 4;

    private final String text;
    private final boolean global;
    private final int numberEnd;

    // Cut out of the text on first use (racy single-check, see the class comment).
    private String number;
    private Map<String, String> parameters;

    private TelUri(String text, boolean global, int numberEnd) {
        this.text = text;
        this.global = global;
        this.numberEnd = numberEnd;
    }

    /**
     * Parses telephone-uri = "tel:" telephone-subscriber (RFC 3966 §3).
     *
     * @throws SipSyntaxException on a malformed number or parameter, or a local number without
     *     phone-context (§5.1.5: required for local numbers, and part of the local-number ABNF)
     */
    public static TelUri parse(String text) {
        Scanner.require(text);
        return telephoneUri(text, 0, text.length(), true);
    }

    /**
     * telephone-uri in [from, end) of {@code t}: validates it and, when {@code build}, returns the
     * URI (then t is its whole text). Exception offsets are offsets in {@code t}.
     */
    static TelUri telephoneUri(String t, int from, int end, boolean build) {
        int colon = Scanner.schemeEnd(t, from, end);
        if (!Scanner.spanIs(t, from, colon, "tel")) {
            throw Scanner.failAt("not a tel: URI", from);
        }
        int p = colon + 1;
        boolean global = p < end && t.charAt(p) == '+';
        int numberEnd = global ? globalNumberDigitsEnd(t, p, end) : localNumberDigitsEnd(t, p, end);
        p = parametersEnd(t, numberEnd, end);
        if (p != end) {
            throw Scanner.failAt("unexpected character in tel URI", p);
        }
        if (!global && !hasParameter(t, numberEnd, end, "phone-context")) {
            throw Scanner.failAt("local tel number without phone-context", from);
        }
        return build ? new TelUri(t, global, numberEnd) : null;
    }

    /** global-number-digits = "+" *phonedigit DIGIT *phonedigit; phonedigit = DIGIT / visual-separator. */
    private static int globalNumberDigitsEnd(String t, int p, int end) {
        int start = p;
        p++; // the '+'
        boolean digit = false;
        while (p < end && (SipChars.isDigit(t.charAt(p)) || isVisualSeparator(t.charAt(p)))) {
            digit |= SipChars.isDigit(t.charAt(p));
            p++;
        }
        if (!digit) {
            throw Scanner.failAt("global number without digits", start);
        }
        return p;
    }

    /** local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex. */
    private static int localNumberDigitsEnd(String t, int p, int end) {
        int start = p;
        boolean digit = false;
        while (p < end) {
            char c = t.charAt(p);
            if (SipChars.isHex(c) || c == '*' || c == '#') {
                digit = true;
            } else if (!isVisualSeparator(c)) {
                break;
            }
            p++;
        }
        if (!digit) {
            throw Scanner.failAt("local number without digits", start);
        }
        return p;
    }

    /** visual-separator = "-" / "." / "(" / ")". */
    private static boolean isVisualSeparator(char c) {
        return c == '-' || c == '.' || c == '(' || c == ')';
    }

    /**
     * *( ";" parameter ) validated in place: the position after them. RFC 3966 §3: a parameter
     * appears at most once; a list longer than {@link Params#IN_PLACE_LIMIT} is checked with a map.
     */
    private static int parametersEnd(String t, int p, int end) {
        int listStart = p;
        int count = 0;
        while (p < end && t.charAt(p) == ';') {
            if (++count > Params.IN_PLACE_LIMIT) {
                return parameters(t, listStart, end, new LinkedHashMap<>());
            }
            int name = p + 1;
            int nameEnd = pnameEnd(t, name, end);
            p = optionalPvalueEnd(t, nameEnd, end);
            if (occursBefore(t, listStart, name, nameEnd)) {
                throw duplicate(SipChars.lower(t.substring(name, nameEnd)), name);
            }
        }
        return p;
    }

    /** Whether the name [name, nameEnd) occurs in the validated list [listStart, name). */
    private static boolean occursBefore(String t, int listStart, int name, int nameEnd) {
        int p = listStart;
        while (p + 1 < name) {
            int other = p + 1;
            int otherEnd = pnameEnd(t, other, name);
            if (Params.sameName(t, other, otherEnd, name, nameEnd)) {
                return true;
            }
            p = optionalPvalueEnd(t, otherEnd, name);
        }
        return false;
    }

    /** Whether a validated list has a parameter of this (lower-case) name. */
    private static boolean hasParameter(String t, int p, int end, String lowerName) {
        while (p < end && t.charAt(p) == ';') {
            int name = p + 1;
            int nameEnd = pnameEnd(t, name, end);
            if (Scanner.spanIs(t, name, nameEnd, lowerName)) {
                return true;
            }
            p = optionalPvalueEnd(t, nameEnd, end);
        }
        return false;
    }

    /** The parameters into {@code into} (names lower-cased, values decoded): the position after them. */
    private static int parameters(String t, int p, int end, Map<String, String> into) {
        while (p < end && t.charAt(p) == ';') {
            int name = p + 1;
            int nameEnd = pnameEnd(t, name, end);
            p = optionalPvalueEnd(t, nameEnd, end);
            String key = SipChars.lower(t.substring(name, nameEnd));
            if (into.containsKey(key)) {
                throw duplicate(key, name);
            }
            into.put(key, p == nameEnd ? null : SipChars.unescape(t.substring(nameEnd + 1, p)));
        }
        return p;
    }

    private static SipSyntaxException duplicate(String lowerName, int offset) {
        // RFC 3966 §3: parameters appear at most once.
        return Scanner.failAt("duplicate tel parameter " + lowerName, offset);
    }

    /** pname = 1*( alphanum / "-" ). */
    private static int pnameEnd(String t, int p, int end) {
        int start = p;
        while (p < end && (SipChars.isAlphanum(t.charAt(p)) || t.charAt(p) == '-')) {
            p++;
        }
        if (p == start) {
            throw Scanner.failAt("empty tel parameter name", p);
        }
        return p;
    }

    /** ["=" pvalue]; pvalue = 1*paramchar. */
    private static int optionalPvalueEnd(String t, int p, int end) {
        if (p >= end || t.charAt(p) != '=') {
            return p;
        }
        int start = ++p;
        while (p < end) {
            char c = t.charAt(p);
            if (c == '%') {
                p = Scanner.escapedEnd(t, p, end);
            } else if (SipChars.isParamChar(c)) {
                p++;
            } else {
                break;
            }
        }
        if (p == start) {
            throw Scanner.failAt("empty tel parameter value", p);
        }
        return p;
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** The number as written, with its visual separators and, for a global number, the '+'. */
    public String number() {
        String n = number;
        if (n == null) {
            n = text.substring(NUMBER_START, numberEnd);
            number = n;
        }
        return n;
    }

    /** Whether the number is global (starts with '+'). */
    public boolean global() {
        return global;
    }

    /** The parameters in order, names lower-cased, values %-decoded; null value for a flag. */
    public Map<String, String> parameters() {
        Map<String, String> p = parameters;
        if (p == null) {
            Map<String, String> into = new LinkedHashMap<>();
            parameters(text, numberEnd, text.length(), into);
            // Filled before wrapping: the wrapper's final field publishes the full map (JLS §17.5).
            p = Collections.unmodifiableMap(into);
            parameters = p;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TelUri t && number().equals(t.number()) && parameters().equals(t.parameters());
    }

    @Override
    public int hashCode() {
        return Objects.hash(number(), parameters());
    }

    @Override
    public String toString() {
        return text;
    }
}
