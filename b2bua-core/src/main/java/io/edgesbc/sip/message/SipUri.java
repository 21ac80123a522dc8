package io.edgesbc.sip.message;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A SIP or SIPS URI (RFC 3261 §19.1, ABNF §25.1 SIP-URI / SIPS-URI):
 * {@code sip:user:password@host:port;uri-parameters?headers}.
 *
 * <p>Immutable. A parsed URI prints exactly the text it was parsed from; one made or changed with a
 * {@link Builder} prints a canonical form in which every character the ABNF does not allow in its
 * component is %-escaped (§19.1.2). {@link #equals} compares the decoded components;
 * {@link #equivalentTo} applies the §19.1.4 comparison rules.
 *
 * <p>{@link #parse} validates the whole URI against §25.1 but keeps only offsets into its text
 * (and the port); user, password, host, parameters and headers are cut out and decoded on first
 * use and remembered. Thread-safety: those fields are written without locks; a racing thread at
 * worst computes the same immutable value again (Strings, and maps fully built before they are
 * wrapped, JLS §17.5), so instances can be shared freely.
 */
public final class SipUri implements Uri {
    /** Parameters that, present in only one URI, make two URIs differ (§19.1.4). */
    private static final Set<String> DEFAULTED_PARAMS = Set.of("user", "ttl", "method", "maddr", "transport");

    /** The URI as written; for one the codec read from the received bytes, made on first use. */
    private String text;
    /** Where the text of a URI the codec read lies in the received bytes (ASCII); null otherwise. */
    private final byte[] source;
    private final int sourceStart;
    private final int sourceLength;
    private final boolean secure;
    private final int port;
    /** Offsets in {@link #text} of a parsed URI; all -1 for a built one. */
    private final int userEnd;      // end of the user (at ':' or '@'); -1 without userinfo
    private final int hostStart;
    private final int hostEnd;
    private final int paramsStart;  // after host and port: where uri-parameters start
    private final int headersStart; // after the '?'; -1 without headers

    // Cut out of the text on first use (racy single-check, see the class comment).
    private String rawUser;
    private String user;
    private String rawPassword;
    private String password;
    private String host;
    private Map<String, String> parameters;
    private Map<String, String> headers;

    /** A URI made with the builder: every component given, the text is the canonical form. */
    private SipUri(boolean secure, String rawUser, String rawPassword, String host, int port,
                   Map<String, String> parameters, Map<String, String> headers) {
        this.secure = secure;
        this.rawUser = rawUser;
        this.user = rawUser == null ? null : SipChars.unescape(rawUser);
        this.rawPassword = rawPassword;
        this.password = rawPassword == null ? null : SipChars.unescape(rawPassword);
        this.host = host;
        this.port = port;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.userEnd = -1;
        this.hostStart = -1;
        this.hostEnd = -1;
        this.paramsStart = -1;
        this.headersStart = -1;
        this.source = null;
        this.sourceStart = 0;
        this.sourceLength = 0;
        this.text = canonical();
    }

    /** A parsed URI: offsets into its validated text; {@code headers} built already when present. */
    private SipUri(String text, boolean secure, int userEnd, int hostStart, int hostEnd, int port,
                   int paramsStart, int headersStart, Map<String, String> headers) {
        this(text, null, 0, 0, secure, userEnd, hostStart, hostEnd, port, paramsStart, headersStart, headers);
    }

    private SipUri(String text, byte[] source, int sourceStart, int sourceLength, boolean secure, int userEnd,
                   int hostStart, int hostEnd, int port, int paramsStart, int headersStart,
                   Map<String, String> headers) {
        this.text = text;
        this.source = source;
        this.sourceStart = sourceStart;
        this.sourceLength = sourceLength;
        this.secure = secure;
        this.userEnd = userEnd;
        this.hostStart = hostStart;
        this.hostEnd = hostEnd;
        this.port = port;
        this.paramsStart = paramsStart;
        this.headersStart = headersStart;
        this.headers = headers;
    }

    /**
     * Parses a SIP-URI or SIPS-URI (scheme case-insensitive).
     *
     * @throws SipSyntaxException if the text does not match the §25.1 grammar
     */
    public static SipUri parse(String text) {
        Scanner.require(text);
        return sipUri(text, 0, text.length(), true);
    }

    /**
     * A URI the codec validated in received bytes (see {@link WireValues}): offsets relative to
     * {@code start}, no ?headers; the text is made from the bytes when first asked for.
     */
    static SipUri ofWire(byte[] source, int start, int end, boolean secure, int userEnd, int hostStart,
                         int hostEnd, int port, int paramsStart) {
        return new SipUri(null, source, start, end - start, secure, userEnd, hostStart, hostEnd, port,
                paramsStart, -1, null);
    }

    /** The text, made from the received bytes on first use (racy single-check, see the class comment). */
    private String text() {
        String t = text;
        if (t == null) {
            t = new String(source, sourceStart, sourceLength, java.nio.charset.StandardCharsets.ISO_8859_1);
            text = t;
        }
        return t;
    }

    /** A builder for a new URI; host is mandatory. */
    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder seeded with this URI's components. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** Whether this is a SIPS URI. */
    public boolean secure() {
        return secure;
    }

    /** The user part, %-decoded (§19.1.2); null when there is no userinfo. */
    public String user() {
        String u = user;
        if (u == null && userEnd >= 0) {
            u = SipChars.unescape(rawUser());
            user = u;
        }
        return u;
    }

    /** The user part as written (escapes kept); null when absent. */
    public String rawUser() {
        String r = rawUser;
        if (r == null && userEnd >= 0) {
            r = text().substring(userStart(), userEnd);
            rawUser = r;
        }
        return r;
    }

    /** After "sip:" or "sips:" (the scheme's case does not change its length). */
    private int userStart() {
        return secure ? 5 : 4;
    }

    /** The password as written; null when absent. */
    private String rawPassword() {
        String r = rawPassword;
        if (r == null && userEnd >= 0 && text().charAt(userEnd) == ':') {
            r = text().substring(userEnd + 1, hostStart - 1);
            rawPassword = r;
        }
        return r;
    }

    /** The password, %-decoded; null when absent. */
    public String password() {
        String p = password;
        if (p == null) {
            String raw = rawPassword();
            if (raw != null) {
                p = SipChars.unescape(raw);
                password = p;
            }
        }
        return p;
    }

    /** Lower-cased hostname, IPv4 address, or IPv6 reference with its brackets. */
    public String host() {
        String h = host;
        if (h == null) {
            h = SipChars.lower(text().substring(hostStart, hostEnd));
            host = h;
        }
        return h;
    }

    /** The port, or -1 when absent (the default depends on transport, §19.1.2). */
    public int port() {
        return port;
    }

    /**
     * uri-parameters in order, names lower-cased, names and values %-decoded; a flag parameter
     * such as ";lr" maps to null.
     */
    public Map<String, String> parameters() {
        Map<String, String> p = parameters;
        if (p == null) {
            Map<String, String> into = new LinkedHashMap<>();
            String t = text();
            uriParameters(t, 0, paramsStart, headersStart < 0 ? t.length() : headersStart - 1, into);
            p = Collections.unmodifiableMap(into);
            parameters = p;
        }
        return p;
    }

    /** The value of a uri-parameter, name case-insensitive; null when absent or a flag. */
    public String parameter(String name) {
        return parameters().get(SipChars.lower(name));
    }

    /** The ?headers, names as written, values %-decoded, in order. */
    public Map<String, String> headers() {
        Map<String, String> h = headers;
        if (h == null) {
            // Only a parsed URI without '?' gets here: one with headers had them built by the parse.
            h = Collections.emptyMap();
            headers = h;
        }
        return h;
    }

    /** transport parameter, lower-cased; null when absent. */
    public String transport() {
        String t = parameters().get("transport");
        return t == null ? null : SipChars.lower(t);
    }

    /** Whether the ";lr" parameter is present (§16.12 loose routing). */
    public boolean looseRouting() {
        return parameters().containsKey("lr");
    }

    /**
     * URI comparison per RFC 3261 §19.1.4 (and RFC 5954 §4.2 for IP addresses): scheme, userinfo
     * (case-sensitive, escapes of unreserved characters resolved), host and port must match;
     * user/ttl/method/maddr/transport present in one URI only make them differ, other parameters in
     * one URI only are ignored, parameters in both must match case-insensitively; headers must
     * match exactly as a set.
     */
    public boolean equivalentTo(SipUri other) {
        if (other == null || secure != other.secure || port != other.port) {
            return false;
        }
        if (!Objects.equals(comparable(rawUser()), comparable(other.rawUser()))
                || !Objects.equals(comparable(rawPassword()), comparable(other.rawPassword()))) {
            return false;
        }
        return sameHost(host(), other.host()) && sameParameters(other) && sameHeaders(other);
    }

    private static String comparable(String raw) {
        return raw == null ? null : SipChars.comparisonForm(raw);
    }

    private static boolean sameHost(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        // RFC 5954 §4.2: IPv6 references are equal when the addresses are, whatever the text form.
        if (a.startsWith("[") && b.startsWith("[")) {
            try {
                // Both are validated literals, so no name lookup happens here.
                return InetAddress.getByName(a).equals(InetAddress.getByName(b));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private boolean sameParameters(SipUri other) {
        Map<String, String> mine = parameters();
        Map<String, String> theirs = other.parameters();
        for (Map.Entry<String, String> e : mine.entrySet()) {
            if (!theirs.containsKey(e.getKey())) {
                if (DEFAULTED_PARAMS.contains(e.getKey())) {
                    return false;
                }
            } else if (!equalsIgnoreCase(e.getValue(), theirs.get(e.getKey()))) {
                return false;
            }
        }
        for (String name : theirs.keySet()) {
            if (!mine.containsKey(name) && DEFAULTED_PARAMS.contains(name)) {
                return false;
            }
        }
        return true;
    }

    private boolean sameHeaders(SipUri other) {
        if (headers().size() != other.headers().size()) {
            return false;
        }
        for (Map.Entry<String, String> e : headers().entrySet()) {
            String match = null;
            boolean found = false;
            for (Map.Entry<String, String> o : other.headers().entrySet()) {
                if (o.getKey().equalsIgnoreCase(e.getKey())) {
                    match = o.getValue();
                    found = true;
                    break;
                }
            }
            if (!found || !equalsIgnoreCase(e.getValue(), match)) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }

    /** Components equal after decoding (not the §19.1.4 comparison, see {@link #equivalentTo}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri u
                && secure == u.secure
                && port == u.port
                && Objects.equals(user(), u.user())
                && Objects.equals(password(), u.password())
                && host().equals(u.host())
                && parameters().equals(u.parameters())
                && headers().equals(u.headers());
    }

    @Override
    public int hashCode() {
        return Objects.hash(secure, user(), password(), host(), port, parameters(), headers());
    }

    @Override
    public String toString() {
        return text();
    }

    private String canonical() {
        StringBuilder b = new StringBuilder(64).append(scheme()).append(':');
        if (rawUser != null) {
            b.append(rawUser);
            if (rawPassword != null) {
                b.append(':').append(rawPassword);
            }
            b.append('@');
        }
        b.append(host);
        if (port >= 0) {
            b.append(':').append(port);
        }
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            b.append(';').append(SipChars.escape(p.getKey(), SipChars::isParamChar));
            if (p.getValue() != null) {
                b.append('=').append(SipChars.escape(p.getValue(), SipChars::isParamChar));
            }
        }
        char sep = '?';
        for (Map.Entry<String, String> h : headers.entrySet()) {
            b.append(sep).append(SipChars.escape(h.getKey(), SipChars::isHeaderChar))
                    .append('=').append(SipChars.escape(h.getValue(), SipChars::isHeaderChar));
            sep = '&';
        }
        return b.toString();
    }

    // ---- parsing (RFC 3261 §25.1 SIP-URI) over [from, end) of a text, allocating nothing ----

    /**
     * SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ] in [from, end) of
     * {@code t}: validates it and, when {@code build}, returns the URI (then t is its whole text).
     * Exception offsets are offsets in {@code t}.
     */
    static SipUri sipUri(String t, int from, int end, boolean build) {
        int colon = Scanner.schemeEnd(t, from, end);
        boolean secure = Scanner.spanIs(t, from, colon, "sips");
        if (!secure && !Scanner.spanIs(t, from, colon, "sip")) {
            throw Scanner.failAt("not a sip: or sips: URI", from);
        }
        int p = colon + 1;
        int userEnd = -1;
        int at = t.indexOf('@', p);
        if (at >= 0 && at < end) {
            userEnd = userEnd(t, p, at);
            userinfoEnd(t, userEnd, at);
            p = at + 1;
        }
        int hostStart = p;
        int hostEnd = Hosts.hostEnd(t, p, end);
        p = hostEnd;
        int port = -1;
        if (p < end && t.charAt(p) == ':') {
            p = Hosts.portEnd(t, hostEnd + 1, end);
            port = Hosts.portValue(t, hostEnd + 1, p);
        }
        int paramsStart = p;
        p = uriParametersEnd(t, from, p, end);
        int headersStart = -1;
        Map<String, String> headers = null;
        if (p < end && t.charAt(p) == '?') {
            // URI headers are rare (Refer-To, redirects): built at once, kept when building.
            headersStart = p + 1;
            Map<String, String> into = new LinkedHashMap<>();
            p = headers(t, headersStart, end, into);
            headers = Collections.unmodifiableMap(into);
        }
        if (p != end) {
            throw Scanner.failAt("unexpected character in SIP URI", p);
        }
        return build ? new SipUri(t, secure, userEnd, hostStart, hostEnd, port, paramsStart, headersStart, headers) : null;
    }

    /**
     * user of userinfo = ( user / telephone-subscriber ) [ ":" password ] "@": the position after
     * it. Neither user, password, host, parameters nor headers may hold an unescaped '@', so the
     * first '@' ends the userinfo even when the user contains ';' or '?' (§19.1.1
     * user-unreserved).
     */
    private static int userEnd(String t, int p, int at) {
        int start = p;
        while (p < at && t.charAt(p) != ':') {
            char c = t.charAt(p);
            if (c == '%') {
                p = Scanner.escapedEnd(t, p, at);
            } else if (SipChars.isUserChar(c)) {
                p++;
            } else {
                throw Scanner.failAt("character not allowed in user", p);
            }
        }
        if (p == start) {
            throw Scanner.failAt("empty user before '@'", p);
        }
        return p;
    }

    /** [ ":" password ] "@" after the user; password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ). */
    private static void userinfoEnd(String t, int p, int at) {
        if (p < at && t.charAt(p) == ':') {
            p++;
            while (p < at) {
                char c = t.charAt(p);
                if (c == '%') {
                    p = Scanner.escapedEnd(t, p, at);
                } else if (SipChars.isPasswordChar(c)) {
                    p++;
                } else {
                    throw Scanner.failAt("character not allowed in password", p);
                }
            }
        }
        if (p != at) {
            throw Scanner.failAt("character not allowed in password", p);
        }
    }

    /**
     * uri-parameters = *( ";" uri-parameter ), validated in place: the position after them. A
     * list longer than {@link Params#IN_PLACE_LIMIT} is checked with a map (see {@link Params}).
     */
    private static int uriParametersEnd(String t, int from, int p, int end) {
        int listStart = p;
        int count = 0;
        while (p < end && t.charAt(p) == ';') {
            if (++count > Params.IN_PLACE_LIMIT) {
                return uriParameters(t, from, listStart, end, new LinkedHashMap<>());
            }
            int name = p + 1;
            int nameEnd = paramcharsEnd(t, name, end, "parameter name");
            int value = -1;
            p = nameEnd;
            if (p < end && t.charAt(p) == '=') {
                value = p + 1;
                p = paramcharsEnd(t, value, end, "parameter value");
            }
            checkKnownParameter(t, from, name, nameEnd, value, p);
            if (occursBefore(t, listStart, name, nameEnd)) {
                throw Scanner.failAt("duplicate URI parameter " + paramName(t, name, nameEnd), name);
            }
        }
        return p;
    }

    /** Whether the parameter name [name, nameEnd) occurs in the validated list [listStart, name). */
    private static boolean occursBefore(String t, int listStart, int name, int nameEnd) {
        int p = listStart;
        while (p + 1 < name) {
            int other = p + 1;
            int otherEnd = paramcharsEnd(t, other, name, "parameter name");
            if (sameParamName(t, other, otherEnd, name, nameEnd)) {
                return true;
            }
            p = otherEnd;
            if (t.charAt(p) == '=') {
                p = paramcharsEnd(t, p + 1, name, "parameter value");
            }
        }
        return false;
    }

    /** Names compare after %-decoding and lower-casing (§19.1.4); without escapes, in place. */
    private static boolean sameParamName(String t, int a, int aEnd, int b, int bEnd) {
        if (!hasEscape(t, a, aEnd) && !hasEscape(t, b, bEnd)) {
            return Params.sameName(t, a, aEnd, b, bEnd);
        }
        return paramName(t, a, aEnd).equals(paramName(t, b, bEnd));
    }

    private static boolean hasEscape(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (t.charAt(i) == '%') {
                return true;
            }
        }
        return false;
    }

    /** A uri-parameter name decoded and lower-cased. */
    private static String paramName(String t, int from, int to) {
        return SipChars.lower(SipChars.unescape(t.substring(from, to)));
    }

    /** uri-parameters into {@code into}, names decoded and lower-cased, values decoded: the position after them. */
    private static int uriParameters(String t, int from, int p, int end, Map<String, String> into) {
        while (p < end && t.charAt(p) == ';') {
            int name = p + 1;
            int nameEnd = paramcharsEnd(t, name, end, "parameter name");
            int value = -1;
            p = nameEnd;
            if (p < end && t.charAt(p) == '=') {
                value = p + 1;
                p = paramcharsEnd(t, value, end, "parameter value");
            }
            checkKnownParameter(t, from, name, nameEnd, value, p);
            String key = paramName(t, name, nameEnd);
            if (into.containsKey(key)) {
                // A repeated name would make transport / maddr / lr ambiguous for routing.
                throw Scanner.failAt("duplicate URI parameter " + key, name);
            }
            into.put(key, value < 0 ? null : SipChars.unescape(t.substring(value, p)));
        }
        return p;
    }

    /** pname / pvalue = 1*paramchar: the position after them. */
    private static int paramcharsEnd(String t, int p, int end, String what) {
        int start = p;
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
            throw Scanner.failAt("empty " + what, p);
        }
        return p;
    }

    /** The uri-parameters with value rules of their own (§25.1). */
    private static final String[] KNOWN_PARAMETERS = {"transport", "user", "method", "ttl", "maddr"};

    /** Which of {@link #KNOWN_PARAMETERS} the name [from, to) is once decoded, or null. */
    private static String knownParameter(String t, int from, int to) {
        String decoded = hasEscape(t, from, to) ? paramName(t, from, to) : null;
        for (String known : KNOWN_PARAMETERS) {
            if (decoded != null ? decoded.equals(known) : Scanner.spanIs(t, from, to, known)) {
                return known;
            }
        }
        return null;
    }

    /**
     * transport-param / ttl-param / maddr-param / user-param / method-param value rules for the
     * parameter [name, nameEnd) with the value [value, valueEnd), value -1 when absent, in the
     * URI that starts at {@code from}.
     */
    private static void checkKnownParameter(String t, int from, int name, int nameEnd, int value, int valueEnd) {
        String known = knownParameter(t, name, nameEnd);
        if (known == null) {
            return;
        }
        switch (known) {
            case "transport", "user", "method" -> {
                if (value < 0 || !isToken(t, value, valueEnd)) {
                    throw Scanner.failAt(known + " parameter must be a token", name);
                }
            }
            case "ttl" -> {
                if (value < 0 || !isTtl(t, value, valueEnd)) {
                    throw Scanner.failAt("ttl must be 0..255", name);
                }
            }
            default -> { // maddr
                if (value < 0) {
                    throw Scanner.failAt("maddr without value", name);
                }
                try {
                    Hosts.validHost(SipChars.unescape(t.substring(value, valueEnd)));
                } catch (SipSyntaxException e) {
                    // Offsets in the maddr value, counted from the URI start (as ever for this error).
                    throw new SipSyntaxException(e.reason(), from + e.offset());
                }
            }
        }
    }

    /** A decoded value that must be a token. */
    private static boolean isToken(String t, int from, int to) {
        if (hasEscape(t, from, to)) {
            return SipChars.isToken(SipChars.unescape(t.substring(from, to)));
        }
        for (int i = from; i < to; i++) {
            if (!SipChars.isToken(t.charAt(i))) {
                return false;
            }
        }
        return to > from;
    }

    /** headers = header *( "&" header ) into {@code into}: the position after them. */
    private static int headers(String t, int p, int end, Map<String, String> into) {
        while (true) {
            p = header(t, p, end, into);
            if (p < end && t.charAt(p) == '&') {
                p++;
            } else {
                return p;
            }
        }
    }

    /** header = hname "=" hvalue; hname = 1*( hnv-unreserved / unreserved / escaped ), hvalue = *(...). */
    private static int header(String t, int p, int end, Map<String, String> into) {
        int start = p;
        p = hcharsEnd(t, p, end);
        if (p == start) {
            throw Scanner.failAt("empty header name", p);
        }
        String name = t.substring(start, p);
        if (p >= end || t.charAt(p) != '=') {
            throw Scanner.failAt("expected '=' in URI header", p);
        }
        int value = p + 1;
        p = hcharsEnd(t, value, end);
        if (into.containsKey(name)) {
            throw Scanner.failAt("duplicate URI header " + name, start);
        }
        into.put(name, SipChars.unescape(t.substring(value, p)));
        return p;
    }

    private static int hcharsEnd(String t, int p, int end) {
        while (p < end) {
            char c = t.charAt(p);
            if (c == '%') {
                p = Scanner.escapedEnd(t, p, end);
            } else if (SipChars.isHeaderChar(c)) {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    /** ttl = 1*3DIGIT ; 0 to 255, after %-decoding. */
    static boolean isTtl(String t, int from, int to) {
        if (hasEscape(t, from, to)) {
            return isTtl(SipChars.unescape(t.substring(from, to)));
        }
        if (to == from || to - from > 3) {
            return false;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            if (!SipChars.isDigit(t.charAt(i))) {
                return false;
            }
            v = v * 10 + t.charAt(i) - '0';
        }
        return v <= 255;
    }

    /** ttl = 1*3DIGIT ; 0 to 255. */
    static boolean isTtl(String value) {
        if (value == null || value.isEmpty() || value.length() > 3) {
            return false;
        }
        int v = 0;
        for (int i = 0; i < value.length(); i++) {
            if (!SipChars.isDigit(value.charAt(i))) {
                return false;
            }
            v = v * 10 + value.charAt(i) - '0';
        }
        return v <= 255;
    }

    /**
     * Builds a new URI or a changed copy. Values are given decoded; {@link #build()} escapes them.
     * Invalid host, port or parameter names are rejected with {@link SipSyntaxException}.
     */
    public static final class Builder {
        private final SipUri origin;
        private boolean changed;
        private boolean secure;
        private String user;
        private String password;
        private String host;
        private int port = -1;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(SipUri from) {
            this.origin = from;
            if (from != null) {
                secure = from.secure;
                user = from.user();
                password = from.password();
                host = from.host();
                port = from.port;
                params.putAll(from.parameters());
                headers.putAll(from.headers());
            }
        }

        private Builder touch() {
            changed = true;
            return this;
        }

        public Builder secure(boolean secure) {
            this.secure = secure;
            return touch();
        }

        /** The user (decoded text), or null for none. */
        public Builder user(String user) {
            this.user = user == null || user.isEmpty() ? null : user;
            return touch();
        }

        /** The password (decoded text), or null for none; only written when there is a user. */
        public Builder password(String password) {
            this.password = password;
            return touch();
        }

        /** Hostname, IPv4, or IPv6 address with or without brackets. */
        public Builder host(String host) {
            this.host = Hosts.validHost(host);
            return touch();
        }

        /** The port, or -1 for none. */
        public Builder port(int port) {
            if (port < -1 || port > 65535) {
                throw new SipSyntaxException("port out of range: " + port, -1);
            }
            this.port = port;
            return touch();
        }

        /** Adds or replaces a uri-parameter (name case-insensitive); a null value makes a flag. */
        public Builder param(String name, String value) {
            if (name == null || name.isEmpty()) {
                throw new SipSyntaxException("empty parameter name", -1);
            }
            if (value != null && value.isEmpty()) {
                throw new SipSyntaxException("empty parameter value (use null for a flag)", -1);
            }
            String key = SipChars.lower(name);
            if (key.equals("ttl") && !isTtl(value)) {
                throw new SipSyntaxException("ttl must be 0..255", -1);
            }
            if (key.equals("maddr")) {
                value = Hosts.validHost(value);
            }
            params.put(key, value);
            return touch();
        }

        public Builder removeParam(String name) {
            params.remove(SipChars.lower(name));
            return touch();
        }

        /** Adds or replaces a ?header (name as given, value decoded). */
        public Builder header(String name, String value) {
            if (name == null || name.isEmpty() || value == null) {
                throw new SipSyntaxException("URI header needs a name and a value", -1);
            }
            headers.put(name, value);
            return touch();
        }

        public Builder removeHeader(String name) {
            headers.remove(name);
            return touch();
        }

        /** The URI; the same instance when built from {@link SipUri#toBuilder()} without changes. */
        public SipUri build() {
            if (!changed && origin != null) {
                return origin;
            }
            if (host == null) {
                throw new SipSyntaxException("SIP URI needs a host", -1);
            }
            String rawUser = user == null ? null : SipChars.escape(user, SipChars::isUserChar);
            String rawPassword = user == null || password == null
                    ? null : SipChars.escape(password, SipChars::isPasswordChar);
            return new SipUri(secure, rawUser, rawPassword, host, port, params, headers);
        }
    }
}
