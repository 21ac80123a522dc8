package io.edgesbc.media.sdp;

import java.util.Optional;

/**
 * The value of an {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding
 * parameters>]} attribute (RFC 8866 §6.6).
 *
 * @param payloadType        RTP payload type, 0-127
 * @param encodingName       encoding name as written (compare case-insensitively)
 * @param clockRate          clock rate in Hz
 * @param encodingParameters channel count for audio, or {@code null} when absent
 */
public record RtpMap(int payloadType, String encodingName, long clockRate, String encodingParameters) {

    /**
     * Interprets an rtpmap attribute value; empty when it is malformed. Trailing whitespace is
     * tolerated.
     */
    public static Optional<RtpMap> parse(String value) {
        String v = Chars.stripTrailingWhitespace(value);
        int sp = v.indexOf(' ');
        if (sp <= 0) {
            return Optional.empty();
        }
        long pt = Chars.parseBounded(v.substring(0, sp), 127);
        String enc = v.substring(sp + 1);
        int s1 = enc.indexOf('/');
        if (pt < 0 || s1 <= 0) {
            return Optional.empty();
        }
        String name = enc.substring(0, s1);
        String rest = enc.substring(s1 + 1);
        int s2 = rest.indexOf('/');
        String rate = s2 < 0 ? rest : rest.substring(0, s2);
        String params = s2 < 0 ? null : rest.substring(s2 + 1);
        long clock = Chars.parseBounded(rate, 0xFFFF_FFFFL);
        if (clock < 0 || !Chars.isWord(name) || (params != null && !Chars.isWord(params))) {
            return Optional.empty();
        }
        return Optional.of(new RtpMap((int) pt, name, clock, params));
    }
}
