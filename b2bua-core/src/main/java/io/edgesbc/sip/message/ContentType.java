package io.edgesbc.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A media-type (RFC 3261 §20.15, §25.1): m-type SLASH m-subtype *(SEMI m-parameter), e.g.
 * {@code application/sdp} or {@code multipart/mixed;boundary="x y"}.
 *
 * @param type lower-cased m-type
 * @param subtype lower-cased m-subtype
 * @param parameters names lower-cased, values as written (a quoted-string keeps its quotes)
 */
public record ContentType(String type, String subtype, Map<String, String> parameters) {

    public ContentType {
        if (!SipChars.isToken(type) || !SipChars.isToken(subtype)) {
            throw new SipSyntaxException("media type and subtype must be tokens", -1);
        }
        type = SipChars.lower(type);
        subtype = SipChars.lower(subtype);
        Map<String, String> copy = new LinkedHashMap<>();
        if (parameters != null) {
            for (Map.Entry<String, String> p : parameters.entrySet()) {
                if (p.getValue() == null) {
                    throw new SipSyntaxException("m-parameter needs a value", -1);
                }
                Params.check(p.getKey(), p.getValue());
                copy.put(SipChars.lower(p.getKey()), p.getValue());
            }
        }
        parameters = Collections.unmodifiableMap(copy);
    }

    /** A media type without parameters. */
    public static ContentType of(String type, String subtype) {
        return new ContentType(type, subtype, Map.of());
    }

    /**
     * Parses a media-type; m-value = token / quoted-string.
     *
     * @throws SipSyntaxException if it does not match the grammar
     */
    public static ContentType parse(String value) {
        Scanner s = new Scanner(value);
        s.sws();
        String type = s.token("m-type");
        if (!s.acceptSeparator('/')) {
            throw s.fail("expected '/' in media-type");
        }
        String subtype = s.token("m-subtype");
        Map<String, String> params = new LinkedHashMap<>();
        while (s.acceptSeparator(';')) {
            mParameter(s, params);
        }
        s.sws();
        if (!s.atEnd()) {
            throw s.fail("unexpected character in media-type");
        }
        return new ContentType(type, subtype, params);
    }

    /** m-parameter = m-attribute EQUAL m-value. */
    private static void mParameter(Scanner s, Map<String, String> params) {
        int start = s.pos;
        String name = SipChars.lower(s.token("m-attribute"));
        if (!s.acceptSeparator('=')) {
            throw s.fail("expected '=' after m-attribute");
        }
        String value = s.at('"') ? s.quotedString() : s.token("m-value");
        Params.put(s, params, name, value, start);
    }

    /** "type/subtype", e.g. "application/sdp". */
    public String mediaType() {
        return type + "/" + subtype;
    }

    /** A parameter by case-insensitive name, as written; null when absent. */
    public String parameter(String name) {
        return parameters.get(SipChars.lower(name));
    }

    /** "type/subtype;name=value...". */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(mediaType());
        Params.append(b, parameters);
        return b.toString();
    }
}
