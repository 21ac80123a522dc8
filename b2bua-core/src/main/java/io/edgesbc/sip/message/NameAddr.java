package io.edgesbc.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A name-addr or addr-spec with header parameters (RFC 3261 §25.1): the value of From, To,
 * Contact, Route, Record-Route, Reply-To, Refer-To ... e.g. {@code "Bob" <sip:bob@x>;tag=1}.
 *
 * <p>In the addr-spec form (no angle brackets) every ';' after the URI starts a header parameter,
 * not a URI parameter (§20.10, §20.20, §20.39), and the URI may not contain ',', ';' or '?'.
 * Parameter values are kept as written (quoted-strings keep their quotes; see
 * {@link HeaderValues#unquote}). Immutable; prints the parsed text when unchanged.
 *
 * <p>{@link #parse} validates the whole value, URI included, but keeps only offsets into the text
 * and the tag (every dialog and transaction match needs it, RFC 3261 §12.2.2, §17.2.3); the display
 * name, the URI object and the parameter map are built on first use and remembered.
 * Thread-safety: those fields are written without locks; a racing thread at worst builds the same
 * immutable value again (Strings, immutable URIs, maps fully built before they are wrapped, JLS
 * §17.5), so instances can be shared freely.
 */
public final class NameAddr {
    /** The value as written; for one the codec read from the received bytes, made on first use. */
    private String text;
    /** Where the text of a value the codec read lies in the received bytes (ASCII); null otherwise. */
    private final byte[] source;
    private final int sourceStart;
    private final int sourceLength;
    /** Offsets in {@link #text} of a parsed value; -1 for one made in code. */
    private final int displayStart;  // the DQUOTE or first token; -1 without display name
    private final int uriStart;
    private final int uriEnd;
    private final int paramsStart;
    private final int paramsEnd;
    private final String tag;

    // Built on first use (racy single-check, see the class comment).
    private String displayName;
    private Uri uri;
    private Map<String, String> parameters;

    /** A value made in code: every part given, the text is the canonical form. */
    private NameAddr(String displayName, Uri uri, Map<String, String> parameters) {
        this.displayName = displayName;
        this.uri = Objects.requireNonNull(uri, "uri");
        this.parameters = Collections.unmodifiableMap(parameters);
        this.tag = parameters.get("tag");
        this.displayStart = -1;
        this.uriStart = -1;
        this.uriEnd = -1;
        this.paramsStart = -1;
        this.paramsEnd = -1;
        this.source = null;
        this.sourceStart = 0;
        this.sourceLength = 0;
        this.text = canonical();
    }

    /** A parsed value: offsets into its validated text. */
    private NameAddr(String text, int displayStart, int uriStart, int uriEnd, int paramsStart, int paramsEnd,
                     String tag) {
        this(text, null, 0, 0, displayStart, uriStart, uriEnd, paramsStart, paramsEnd, tag);
    }

    private NameAddr(String text, byte[] source, int sourceStart, int sourceLength, int displayStart,
                     int uriStart, int uriEnd, int paramsStart, int paramsEnd, String tag) {
        this.text = text;
        this.source = source;
        this.sourceStart = sourceStart;
        this.sourceLength = sourceLength;
        this.displayStart = displayStart;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
        this.paramsStart = paramsStart;
        this.paramsEnd = paramsEnd;
        this.tag = tag;
    }

    /**
     * A value the codec validated in received bytes (see {@link WireValues}): offsets relative to
     * {@code start}; the text is made from the bytes when first asked for.
     */
    static NameAddr ofWire(byte[] source, int start, int end, int displayStart, int uriStart, int uriEnd,
                           int paramsStart, int paramsEnd, String tag) {
        return new NameAddr(null, source, start, end - start, displayStart, uriStart, uriEnd, paramsStart,
                paramsEnd, tag);
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

    /** A name-addr for a URI with an optional display name and no parameters. */
    public static NameAddr of(String displayName, Uri uri) {
        if (displayName != null) {
            HeaderValues.quote(displayName); // rejects CR / LF
        }
        return new NameAddr(displayName, uri, new LinkedHashMap<>());
    }

    /**
     * Parses ( name-addr / addr-spec ) *( SEMI generic-param ).
     *
     * @throws SipSyntaxException on an unterminated quote, a '&lt;' without '&gt;', a bad URI or parameter
     */
    public static NameAddr parse(String text) {
        return nameAddrOrAddrSpec(Scanner.require(text));
    }

    /** The display name, unquoted and quoted-pairs resolved; null when absent. */
    public String displayName() {
        String d = displayName;
        if (d == null && displayStart >= 0) {
            String text = text();
            d = text.charAt(displayStart) == '"'
                    ? HeaderValues.unquoteValid(text.substring(displayStart, Scanner.quotedStringEnd(text, displayStart, uriStart)))
                    : tokenDisplayName(text, displayStart);
            displayName = d;
        }
        return d;
    }

    public Uri uri() {
        Uri u = uri;
        if (u == null) {
            // Validated by parse; its own text is the substring (as printed in the URI's toString()).
            u = Uris.uri(text().substring(uriStart, uriEnd), 0, uriEnd - uriStart, true);
            uri = u;
        }
        return u;
    }

    /** Header parameters in order, names lower-cased, values as written; null value for a flag. */
    public Map<String, String> parameters() {
        Map<String, String> p = parameters;
        if (p == null) {
            p = Params.map(Params.Rule.GENERIC, text(), paramsStart, paramsEnd);
            parameters = p;
        }
        return p;
    }

    /** A parameter value by case-insensitive name; null when absent or a flag. */
    public String parameter(String name) {
        return parameters().get(SipChars.lower(name));
    }

    /** The tag parameter (§19.3), or null. */
    public String tag() {
        return tag;
    }

    /** A copy with the parameter added or replaced; value null makes a flag. */
    public NameAddr withParameter(String name, String value) {
        Params.check(name, value);
        Map<String, String> p = new LinkedHashMap<>(parameters());
        p.put(SipChars.lower(name), value);
        return new NameAddr(displayName(), uri(), p);
    }

    /** A copy without the parameter (this instance when it is absent). */
    public NameAddr withoutParameter(String name) {
        String key = SipChars.lower(name);
        if (!parameters().containsKey(key)) {
            return this;
        }
        Map<String, String> p = new LinkedHashMap<>(parameters());
        p.remove(key);
        return new NameAddr(displayName(), uri(), p);
    }

    public NameAddr withUri(Uri newUri) {
        return new NameAddr(displayName(), newUri, new LinkedHashMap<>(parameters()));
    }

    /** A copy with another display name (null removes it). */
    public NameAddr withDisplayName(String name) {
        if (name != null) {
            HeaderValues.quote(name);
        }
        return new NameAddr(name, uri(), new LinkedHashMap<>(parameters()));
    }

    /**
     * The Contact q parameter (§20.10), -1 when absent.
     *
     * @throws SipSyntaxException if present but not a qvalue (0..1 with up to 3 decimals)
     */
    public double q() {
        String q = parameters().get("q");
        return q == null && !parameters().containsKey("q") ? -1 : qvalue(q);
    }

    /** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ). */
    static double qvalue(String q) {
        if (q == null || q.isEmpty() || q.length() > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1')) {
            throw new SipSyntaxException("q must be a qvalue 0..1", 0);
        }
        if (q.length() > 1) {
            if (q.charAt(1) != '.') {
                throw new SipSyntaxException("q must be a qvalue 0..1", 1);
            }
            for (int i = 2; i < q.length(); i++) {
                char c = q.charAt(i);
                if (!SipChars.isDigit(c) || (q.charAt(0) == '1' && c != '0')) {
                    throw new SipSyntaxException("q must be a qvalue 0..1", i);
                }
            }
        }
        return Double.parseDouble(q.endsWith(".") ? q + "0" : q);
    }

    /**
     * The Contact expires parameter (§20.10, delta-seconds), -1 when absent; clamped like
     * {@link HeaderValues#parseDeltaSeconds}.
     *
     * @throws SipSyntaxException if present but not 1*DIGIT
     */
    public long expires() {
        if (!parameters().containsKey("expires")) {
            return -1;
        }
        String e = parameters().get("expires");
        return HeaderValues.parseDeltaSeconds(e == null ? "" : e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameAddr n
                && Objects.equals(displayName(), n.displayName())
                && uri().equals(n.uri())
                && parameters().equals(n.parameters());
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayName(), uri(), parameters());
    }

    /** The parsed text when unchanged; otherwise {@code "Display" <uri>;p=v}. */
    @Override
    public String toString() {
        return text();
    }

    private String canonical() {
        StringBuilder b = new StringBuilder(64);
        String u = uri.toString();
        if (displayName != null) {
            b.append(HeaderValues.quote(displayName)).append(' ');
        }
        // We always write the name-addr form: §20.10 requires <> for a URI with ',', ';' or '?',
        // and writing them always keeps a URI parameter from being read as a header parameter
        // by peers that get the addr-spec rule wrong.
        b.append('<').append(u).append('>');
        Params.append(b, parameters);
        return b.toString();
    }


    // ---- parsing (RFC 3261 §25.1) over the text, allocating nothing but the tag ----------

    /** ( name-addr / addr-spec ) *( SEMI generic-param ). */
    private static NameAddr nameAddrOrAddrSpec(String t) {
        int end = t.length();
        int p = Scanner.swsEnd(t, 0, end);
        int displayStart = -1;
        int uriStart;
        int uriEnd;
        if (p < end && t.charAt(p) == '"') {
            displayStart = p;
            p = Scanner.swsEnd(t, Scanner.quotedStringEnd(t, p, end), end);
            uriStart = p + 1;
            uriEnd = angleAddrEnd(t, p, end);
            p = uriEnd + 1;
        } else if (p < end && t.charAt(p) == '<') {
            uriStart = p + 1;
            uriEnd = angleAddrEnd(t, p, end);
            p = uriEnd + 1;
        } else {
            int tokenEnd = Scanner.tokenEnd(t, p, end, "display name or URI");
            // A token followed by ':' is a URI scheme (':' is no token character), else a display name.
            if (tokenEnd < end && t.charAt(tokenEnd) == ':') {
                uriStart = p;
                uriEnd = addrSpecEnd(t, p, end);
                p = uriEnd;
            } else {
                displayStart = p;
                p = tokenDisplayNameEnd(t, p, end);
                uriStart = p + 1;
                uriEnd = angleAddrEnd(t, p, end);
                p = uriEnd + 1;
            }
        }
        int paramsStart = p;
        p = Params.paramsEnd(Params.Rule.GENERIC, t, p, end);
        int trailing = Scanner.swsEnd(t, p, end);
        if (trailing != end) {
            throw Scanner.failAt("unexpected character after name-addr", trailing);
        }
        String tag = Params.value(Params.Rule.GENERIC, t, paramsStart, p, "tag");
        return new NameAddr(t, displayStart, uriStart, uriEnd, paramsStart, p, tag);
    }

    /** display-name = *(token LWS) up to the '<': the position of the '<'. LWS before '<' may be missing. */
    private static int tokenDisplayNameEnd(String t, int p, int end) {
        while (p >= end || t.charAt(p) != '<') {
            p = Scanner.swsEnd(t, Scanner.tokenEnd(t, p, end, "display-name token or '<'"), end);
        }
        return p;
    }

    /** The tokens of a validated token display-name, joined by one space. */
    private static String tokenDisplayName(String t, int p) {
        StringBuilder name = new StringBuilder();
        while (t.charAt(p) != '<') {
            if (name.length() > 0) {
                name.append(' ');
            }
            int tokenEnd = Scanner.tokenEnd(t, p, t.length(), "display-name token or '<'");
            name.append(t, p, tokenEnd);
            p = Scanner.swsEnd(t, tokenEnd, t.length());
        }
        return name.toString();
    }

    /**
     * LAQUOT addr-spec RAQUOT with nothing but the URI between the brackets (RFC 4475 §3.1.2.14):
     * checks the URI in place and returns the position of the '>'.
     */
    private static int angleAddrEnd(String t, int p, int end) {
        if (p >= end || t.charAt(p) != '<') {
            throw Scanner.failAt("expected '<'", p);
        }
        int close = t.indexOf('>', p + 1);
        if (close < 0) {
            throw Scanner.failAt("'<' without '>'", p);
        }
        Uris.uri(t, p + 1, close, false);
        return close;
    }

    /**
     * addr-spec outside brackets: the URI ends at the first ';' (header parameters follow) or LWS.
     * It may not contain '?' or ',' (§20: such a URI must be in &lt;&gt;; RFC 4475 §3.1.2.13).
     */
    private static int addrSpecEnd(String t, int p, int end) {
        int start = p;
        while (p < end && t.charAt(p) != ';' && !SipChars.isWsp(t.charAt(p))) {
            char c = t.charAt(p);
            if (c == '?' || c == ',') {
                throw Scanner.failAt("URI with '" + c + "' must be enclosed in <>", p);
            }
            p++;
        }
        Uris.uri(t, start, p, false);
        return p;
    }
}
