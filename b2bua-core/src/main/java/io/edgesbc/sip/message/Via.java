package io.edgesbc.sip.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One via-parm (RFC 3261 §20.42, §25.1) with the RFC 3581 rport parameter:
 * {@code SIP/2.0/UDP host:port;branch=z9hG4bK...;received=...;rport=...}.
 *
 * <p>Parameter names are lower-cased; values are kept as written. Immutable; prints the parsed
 * text when unchanged, a canonical form otherwise.
 *
 * <p>A parsed Via is validated in full by {@link #parse} but keeps only offsets into its text,
 * the port and the branch (every transaction lookup needs it, §17.2.3); protocol, transport, host
 * and the parameter map are cut out of the text on first use and remembered. Thread-safety: the
 * remembered fields are written without locks; a racing thread at worst computes the same
 * immutable value again (Strings, and a map fully built before it is wrapped), so instances can
 * be shared freely.
 */
public final class Via {
    /** §8.1.1.7: branches of RFC 3261 elements start with this cookie. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    /** The via-parm as written; for one the codec read from the received bytes, made on first use. */
    private String text;
    /** Where the text of a Via the codec read lies in the received bytes (ASCII); null otherwise. */
    private final byte[] source;
    private final int sourceStart;
    private final int sourceLength;
    /** Offsets of sent-by's host and of the via-params in {@link #text}; -1 for a built Via. */
    private final int hostStart;
    private final int hostEnd;
    private final int paramsStart;
    private final int paramsEnd;
    private final int port;
    private final String branch;

    // Cut out of the text on first use (racy single-check, see the class comment).
    private String protocolName;
    private String protocolVersion;
    private String transport;
    private String host;
    private Map<String, String> parameters;

    /** A Via made in code: every value given, the text is the canonical form. */
    private Via(String protocolName, String protocolVersion, String transport, String host, int port,
                Map<String, String> parameters) {
        this.protocolName = protocolName;
        this.protocolVersion = protocolVersion;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.branch = parameters.get("branch");
        this.hostStart = -1;
        this.hostEnd = -1;
        this.paramsStart = -1;
        this.paramsEnd = -1;
        this.source = null;
        this.sourceStart = 0;
        this.sourceLength = 0;
        this.text = canonical();
    }

    /** A parsed Via: offsets into the validated text. */
    private Via(String text, int hostStart, int hostEnd, int port, int paramsStart, int paramsEnd, String branch) {
        this(text, null, 0, 0, hostStart, hostEnd, port, paramsStart, paramsEnd, branch);
    }

    private Via(String text, byte[] source, int sourceStart, int sourceLength, int hostStart, int hostEnd,
                int port, int paramsStart, int paramsEnd, String branch) {
        this.text = text;
        this.source = source;
        this.sourceStart = sourceStart;
        this.sourceLength = sourceLength;
        this.hostStart = hostStart;
        this.hostEnd = hostEnd;
        this.port = port;
        this.paramsStart = paramsStart;
        this.paramsEnd = paramsEnd;
        this.branch = branch;
    }

    /**
     * A via-parm the codec validated in received bytes (see {@link WireValues}): offsets relative
     * to {@code start}; the text is made from the bytes when first asked for.
     */
    static Via ofWire(byte[] source, int start, int end, int hostStart, int hostEnd, int port, int paramsStart,
                      int paramsEnd, String branch) {
        return new Via(null, source, start, end - start, hostStart, hostEnd, port, paramsStart, paramsEnd, branch);
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

    /**
     * Our own Via: {@code SIP/2.0/<transport> host[:port];branch=...}.
     *
     * @param host hostname or IP address (IPv6 with or without brackets)
     * @param port the port, or -1 to leave it out
     * @param branch the branch token, normally starting with {@link #MAGIC_COOKIE}
     */
    public static Via of(String transport, String host, int port, String branch) {
        if (!SipChars.isToken(transport)) {
            throw new SipSyntaxException("transport must be a token", -1);
        }
        if (port < -1 || port > 65535) {
            throw new SipSyntaxException("port out of range: " + port, -1);
        }
        if (!SipChars.isToken(branch)) {
            throw new SipSyntaxException("branch must be a token", -1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("branch", branch);
        return new Via("SIP", "2.0", SipChars.upper(transport), Hosts.validHost(host), port, params);
    }

    /**
     * Parses one via-parm = sent-protocol LWS sent-by *( SEMI via-params ).
     *
     * @throws SipSyntaxException if it does not match the grammar
     */
    public static Via parse(String viaParm) {
        return viaParm(Scanner.require(viaParm));
    }

    /**
     * Parses a Via header value: via-parm *(COMMA via-parm).
     *
     * @throws SipSyntaxException on an empty value or any malformed via-parm (offset in the whole value)
     */
    public static List<Via> parseList(String headerValue) {
        List<int[]> ranges = HeaderValues.ranges(headerValue);
        if (ranges.isEmpty()) {
            throw new SipSyntaxException("empty Via", 0);
        }
        List<Via> out = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            try {
                out.add(parse(headerValue.substring(r[0], r[1])));
            } catch (SipSyntaxException e) {
                throw new SipSyntaxException(e.reason(), r[0] + Math.max(e.offset(), 0));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** protocol-name, as written ("SIP"). */
    public String protocolName() {
        String n = protocolName;
        if (n == null) {
            n = sentProtocolPart(0);
            protocolName = n;
        }
        return n;
    }

    /** protocol-version, as written ("2.0"). */
    public String protocolVersion() {
        String v = protocolVersion;
        if (v == null) {
            v = sentProtocolPart(1);
            protocolVersion = v;
        }
        return v;
    }

    /** Upper-cased transport: UDP, TCP, TLS, SCTP, WS, WSS or another token. */
    public String transport() {
        String t = transport;
        if (t == null) {
            t = SipChars.upper(sentProtocolPart(2));
            transport = t;
        }
        return t;
    }

    /** sent-by host, lower-cased; IPv6 with brackets. */
    public String host() {
        String h = host;
        if (h == null) {
            h = SipChars.lower(text().substring(hostStart, hostEnd));
            host = h;
        }
        return h;
    }

    /** sent-by port, -1 when absent. */
    public int port() {
        return port;
    }

    /** The branch parameter, or null. */
    public String branch() {
        return branch;
    }

    /** Whether the branch starts with "z9hG4bK" (§8.1.1.7; case-sensitive). */
    public boolean hasMagicCookie() {
        String b = branch();
        return b != null && b.startsWith(MAGIC_COOKIE);
    }

    /** The received parameter as written (IPv4, IPv6 with or without brackets), or null. */
    public String received() {
        return parameters().get("received");
    }

    /** The maddr parameter, or null. */
    public String maddr() {
        return parameters().get("maddr");
    }

    /** The ttl parameter (0..255), or -1. */
    public int ttl() {
        String t = parameters().get("ttl");
        return t == null ? -1 : Integer.parseInt(t);
    }

    /** Whether the RFC 3581 rport parameter is present (with or without value). */
    public boolean hasRport() {
        return parameters().containsKey("rport");
    }

    /** The rport value, or -1 when absent or the bare flag. */
    public int rport() {
        String r = parameters().get("rport");
        return r == null ? -1 : Integer.parseInt(r);
    }

    /** Parameters in order, names lower-cased, values as written; null value for a flag. */
    public Map<String, String> parameters() {
        Map<String, String> p = parameters;
        if (p == null) {
            p = Params.map(Params.Rule.VIA, text(), paramsStart, paramsEnd);
            parameters = p;
        }
        return p;
    }

    /** A parameter value by case-insensitive name, or null. */
    public String parameter(String name) {
        return parameters().get(SipChars.lower(name));
    }

    /** A copy with the parameter added or replaced (value null makes a flag). */
    public Via withParameter(String name, String value) {
        String key = SipChars.lower(name == null ? "" : name);
        if (key.equals("received")) {
            return withReceived(value);
        }
        Params.check(name, value);
        checkParam(key, value, 0);
        Map<String, String> p = new LinkedHashMap<>(parameters());
        p.put(key, value);
        return copy(p);
    }

    /** A copy without the parameter (this instance when absent). */
    public Via withoutParameter(String name) {
        String key = SipChars.lower(name);
        if (!parameters().containsKey(key)) {
            return this;
        }
        Map<String, String> p = new LinkedHashMap<>(parameters());
        p.remove(key);
        return copy(p);
    }

    /**
     * A copy with received set (§18.2.1). IPv6 is written without brackets as in the §25.1
     * via-received ABNF (RFC 5118 §4.5 asks receivers to accept both forms).
     */
    public Via withReceived(String address) {
        String a = address != null && address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        if (a == null || !(Hosts.isIpv4(a) || Hosts.isIpv6(a))) {
            throw new SipSyntaxException("received must be an IP address: " + address, -1);
        }
        Map<String, String> p = new LinkedHashMap<>(parameters());
        p.put("received", SipChars.lower(a));
        return copy(p);
    }

    /** A copy with rport=port (RFC 3581 §4); port -1 writes the bare flag. */
    public Via withRport(int port) {
        if (port < -1 || port > 65535) {
            throw new SipSyntaxException("port out of range: " + port, -1);
        }
        Map<String, String> p = new LinkedHashMap<>(parameters());
        p.put("rport", port < 0 ? null : Integer.toString(port));
        return copy(p);
    }

    private Via copy(Map<String, String> params) {
        return new Via(protocolName(), protocolVersion(), transport(), host(), port, params);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Via v
                && protocolName().equals(v.protocolName())
                && protocolVersion().equals(v.protocolVersion())
                && transport().equals(v.transport())
                && host().equals(v.host())
                && port == v.port
                && parameters().equals(v.parameters());
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolName(), protocolVersion(), transport(), host(), port, parameters());
    }

    /** The parsed text when unchanged; otherwise {@code SIP/2.0/UDP host:port;params}. */
    @Override
    public String toString() {
        return text();
    }

    private String canonical() {
        StringBuilder b = new StringBuilder(64)
                .append(protocolName).append('/').append(protocolVersion).append('/').append(transport)
                .append(' ').append(host);
        if (port >= 0) {
            b.append(':').append(port);
        }
        Params.append(b, parameters);
        return b.toString();
    }

    // ---- parsing (RFC 3261 §25.1 via-parm) over the text, allocating nothing but the branch ----

    /** via-parm = sent-protocol LWS sent-by *( SEMI via-params ). */
    private static Via viaParm(String t) {
        int end = t.length();
        int p = sentProtocolEnd(t, Scanner.swsEnd(t, 0, end), end, 3);
        int hostStart = Scanner.swsEnd(t, p, end);
        if (hostStart == p) {
            throw Scanner.failAt("expected whitespace before sent-by", p);
        }
        // sent-by = host [ COLON port ]
        int hostEnd = Hosts.hostEnd(t, hostStart, end);
        p = hostEnd;
        int port = -1;
        int portStart = Scanner.separatorEnd(t, p, end, ':');
        if (portStart >= 0) {
            p = Hosts.portEnd(t, portStart, end);
            port = Hosts.portValue(t, portStart, p);
        }
        int paramsStart = p;
        p = Params.paramsEnd(Params.Rule.VIA, t, p, end);
        int trailing = Scanner.swsEnd(t, p, end);
        if (trailing != end) {
            throw Scanner.failAt("unexpected character in Via", trailing);
        }
        String branch = Params.value(Params.Rule.VIA, t, paramsStart, p, "branch");
        return new Via(t, hostStart, hostEnd, port, paramsStart, p, branch);
    }

    /**
     * sent-protocol = protocol-name SLASH protocol-version SLASH transport, or its first
     * {@code parts} elements: the position after them.
     */
    private static int sentProtocolEnd(String t, int p, int end, int parts) {
        p = Scanner.tokenEnd(t, p, end, "protocol-name");
        for (int part = 1; part < parts; part++) {
            // SLASH = SWS "/" SWS
            int next = Scanner.separatorEnd(t, p, end, '/');
            if (next < 0) {
                throw Scanner.failAt("expected '/' in sent-protocol", p);
            }
            p = Scanner.tokenEnd(t, next, end, part == 1 ? "protocol-version" : "transport");
        }
        return p;
    }

    /** protocol-name (0), protocol-version (1) or transport (2) of a parsed Via, as written. */
    private String sentProtocolPart(int part) {
        String text = text();
        int end = text.length();
        int to = sentProtocolEnd(text, Scanner.swsEnd(text, 0, end), end, part + 1);
        int from = to;
        while (from > 0 && SipChars.isToken(text.charAt(from - 1))) {
            from--;
        }
        return text.substring(from, to);
    }

    /**
     * via-received = "received" EQUAL (IPv4address / IPv6address). Bracketed IPv6 is accepted
     * too: RFC 5118 §4.5 asks implementations to be liberal here. The value's end; validated by
     * {@link #checkParam}.
     */
    static int receivedEnd(String t, int p, int end) {
        while (p < end && isReceivedChar(t.charAt(p))) {
            p++;
        }
        return p;
    }

    private static boolean isReceivedChar(char c) {
        return SipChars.isHex(c) || c == ':' || c == '.' || c == '[' || c == ']';
    }

    /**
     * The value rules of via-ttl, via-branch, via-maddr, via-received and response-port for the
     * parameter [name, nameEnd) with the value [value, valueEnd), value -1 for a flag.
     */
    static void checkParam(String t, int name, int nameEnd, int value, int valueEnd) {
        boolean ok;
        if (Scanner.spanIs(t, name, nameEnd, "ttl")) {
            ok = value >= 0 && SipUri.isTtl(t, value, valueEnd);
        } else if (Scanner.spanIs(t, name, nameEnd, "branch")) {
            ok = value >= 0 && isTokenSpan(t, value, valueEnd);
        } else if (Scanner.spanIs(t, name, nameEnd, "maddr")) {
            ok = value >= 0 && isHost(t.substring(value, valueEnd));
        } else if (Scanner.spanIs(t, name, nameEnd, "received")) {
            ok = value >= 0 && isReceived(t, value, valueEnd);
        } else if (Scanner.spanIs(t, name, nameEnd, "rport")) {
            ok = value < 0 || isPort(t, value, valueEnd);
        } else {
            ok = true;
        }
        if (!ok) {
            throw Scanner.failAt("invalid Via " + SipChars.lower(t.substring(name, nameEnd)) + " parameter",
                    value >= 0 ? value : name);
        }
    }

    /** {@link #checkParam} for a parameter given in code (name lower-cased, value null for a flag). */
    private static void checkParam(String name, String value, int offset) {
        String t = value == null ? name : name + "=" + value;
        int nameEnd = name.length();
        try {
            checkParam(t, 0, nameEnd, value == null ? -1 : nameEnd + 1, t.length());
        } catch (SipSyntaxException e) {
            throw new SipSyntaxException(e.reason(), offset);
        }
    }

    private static boolean isTokenSpan(String t, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!SipChars.isToken(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHost(String value) {
        try {
            Hosts.validHost(value);
            return true;
        } catch (SipSyntaxException e) {
            return false;
        }
    }

    private static boolean isReceived(String t, int from, int to) {
        if (to - from > 2 && t.charAt(from) == '[' && t.charAt(to - 1) == ']') {
            return Hosts.isIpv6(t, from + 1, to - 1);
        }
        return Hosts.isIpv4(t, from, to) || Hosts.isIpv6(t, from, to);
    }

    /** response-port value = 1*DIGIT, a port. */
    private static boolean isPort(String t, int from, int to) {
        if (from >= to || to - from > 5) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!SipChars.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return Hosts.portValue(t, from, to) <= 65535;
    }
}
