package io.edgesbc.sip.dialog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What this UAS accepts, for the checks of RFC 3261 §8.2 and the OPTIONS answer of §11.2.
 * Immutable; the {@code with*} methods return changed copies. Lists keep their order, which is the
 * order of the Allow, Supported, Accept ... headers we send.
 *
 * @param allowedMethods methods we accept (the Allow header, §20.5); case-sensitive (§7.1)
 * @param knownMethods methods we know exist: known but not allowed gives 405, unknown gives 501
 *        (§8.2.1); {@code allowedMethods} are always known
 * @param optionTags option tags we support (the Supported header; §8.2.2.3 answers others in
 *        Require with 420)
 * @param bodyTypes media types ("type/subtype", lower case) we understand in a request body
 *        (§8.2.3); "type/*" or "*&#47;*" match a whole family
 * @param encodings content codings we understand besides "identity" (§8.2.3, §20.2)
 * @param languages language tags we understand (§8.2.3, §20.3); empty means the language of a
 *        body does not matter to us
 * @param uriSchemes Request-URI schemes we accept, lower case (§8.2.2.1)
 * @param forwards whether requests are relayed onwards (the B2BUA's UAC leg), which makes
 *        Max-Forwards 0 an error (483, §16.3 item 3 as RFC 4475 §3.3.11 applies it)
 * @param warnAgent the warn-agent (§20.43: hostport or pseudonym) of Warning headers we add
 */
public record UasCapabilities(List<String> allowedMethods, List<String> knownMethods, List<String> optionTags,
                              List<String> bodyTypes, List<String> encodings, List<String> languages,
                              List<String> uriSchemes, boolean forwards, String warnAgent) {

    /** The methods of the IANA SIP method registry (RFC 3261, 3262, 3265/6665, 3311, 3428, 3515, 3903, 6086). */
    public static final List<String> REGISTERED_METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS",
            "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");

    public UasCapabilities {
        allowedMethods = distinct(allowedMethods, false);
        optionTags = distinct(optionTags, false);
        bodyTypes = distinct(bodyTypes, true);
        encodings = distinct(encodings, true);
        languages = distinct(languages, true);
        uriSchemes = distinct(uriSchemes, true);
        List<String> known = new ArrayList<>(distinct(knownMethods, false));
        for (String m : allowedMethods) {
            if (!known.contains(m)) {
                known.add(m);
            }
        }
        knownMethods = List.copyOf(known);
        Objects.requireNonNull(warnAgent, "warnAgent");
        if (warnAgent.isEmpty() || warnAgent.chars().anyMatch(c -> c <= ' ' || c == '"')) {
            throw new IllegalArgumentException("warnAgent must be a hostport or pseudonym: " + warnAgent);
        }
    }

    /**
     * A B2BUA for voice: INVITE and what a call needs, SDP and multipart/mixed bodies, sip/sips/tel
     * URIs, no option tags (the stack implements none yet), relaying onwards.
     */
    public static UasCapabilities defaults() {
        return new UasCapabilities(
                List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "PRACK", "UPDATE", "INFO", "REFER", "NOTIFY"),
                REGISTERED_METHODS, List.of(), List.of("application/sdp", "multipart/mixed"), List.of(), List.of(),
                List.of("sip", "sips", "tel"), true, "edgesbc");
    }

    public UasCapabilities withAllowedMethods(String... methods) {
        return new UasCapabilities(List.of(methods), knownMethods, optionTags, bodyTypes, encodings, languages,
                uriSchemes, forwards, warnAgent);
    }

    public UasCapabilities withOptionTags(String... tags) {
        return new UasCapabilities(allowedMethods, knownMethods, List.of(tags), bodyTypes, encodings, languages,
                uriSchemes, forwards, warnAgent);
    }

    public UasCapabilities withBodyTypes(String... types) {
        return new UasCapabilities(allowedMethods, knownMethods, optionTags, List.of(types), encodings, languages,
                uriSchemes, forwards, warnAgent);
    }

    public UasCapabilities withEncodings(String... codings) {
        return new UasCapabilities(allowedMethods, knownMethods, optionTags, bodyTypes, List.of(codings), languages,
                uriSchemes, forwards, warnAgent);
    }

    public UasCapabilities withLanguages(String... tags) {
        return new UasCapabilities(allowedMethods, knownMethods, optionTags, bodyTypes, encodings, List.of(tags),
                uriSchemes, forwards, warnAgent);
    }

    public UasCapabilities withUriSchemes(String... schemes) {
        return new UasCapabilities(allowedMethods, knownMethods, optionTags, bodyTypes, encodings, languages,
                List.of(schemes), forwards, warnAgent);
    }

    public UasCapabilities withForwards(boolean relays) {
        return new UasCapabilities(allowedMethods, knownMethods, optionTags, bodyTypes, encodings, languages,
                uriSchemes, relays, warnAgent);
    }

    public UasCapabilities withWarnAgent(String agent) {
        return new UasCapabilities(allowedMethods, knownMethods, optionTags, bodyTypes, encodings, languages,
                uriSchemes, forwards, agent);
    }

    public boolean allows(String method) {
        return allowedMethods.contains(method);
    }

    public boolean knows(String method) {
        return knownMethods.contains(method);
    }

    /**
     * Option tags are compared as written. Choice: RFC 3261 §19.2 does not say how to compare them;
     * registered tags are lower case, so exact comparison only matters for tags nobody registered.
     */
    public boolean supports(String optionTag) {
        return optionTags.contains(optionTag);
    }

    /** Whether we understand a body of this media type ("type/subtype", any case). */
    public boolean acceptsBodyType(String mediaType) {
        String m = mediaType.toLowerCase(Locale.ROOT);
        int slash = m.indexOf('/');
        for (String t : bodyTypes) {
            if (t.equals(m) || t.equals("*/*")
                    || (t.endsWith("/*") && slash > 0 && t.regionMatches(0, m, 0, slash + 1))) {
                return true;
            }
        }
        return false;
    }

    /** "identity" always; otherwise the configured codings (§20.2, RFC 2616 §3.5). */
    public boolean acceptsEncoding(String coding) {
        String c = coding.toLowerCase(Locale.ROOT);
        return c.equals("identity") || encodings.contains(c);
    }

    /** Any language when none is configured; else an exact tag or its primary tag (RFC 2616 §14.4). */
    public boolean acceptsLanguage(String tag) {
        if (languages.isEmpty()) {
            return true;
        }
        String t = tag.toLowerCase(Locale.ROOT);
        for (String l : languages) {
            if (l.equals(t) || l.equals("*") || t.startsWith(l + "-")) {
                return true;
            }
        }
        return false;
    }

    public boolean acceptsScheme(String scheme) {
        return uriSchemes.contains(scheme.toLowerCase(Locale.ROOT));
    }

    private static List<String> distinct(List<String> values, boolean lowerCase) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : Objects.requireNonNull(values)) {
            String s = Objects.requireNonNull(v).trim();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty value");
            }
            out.add(lowerCase ? s.toLowerCase(Locale.ROOT) : s);
        }
        return List.copyOf(out);
    }
}
