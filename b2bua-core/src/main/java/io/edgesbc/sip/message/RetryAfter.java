package io.edgesbc.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33), e.g.
 * {@code 18000;duration=3600} or {@code 120 (I'm in a meeting)}.
 *
 * @param seconds delta-seconds, clamped like {@link HeaderValues#parseDeltaSeconds}
 * @param comment the comment text without the outer parentheses, or null
 * @param parameters names lower-cased, values as written; null value for a flag
 */
public record RetryAfter(long seconds, String comment, Map<String, String> parameters) {

    public RetryAfter {
        if (seconds < 0 || seconds > HeaderValues.MAX_DELTA_SECONDS) {
            throw new SipSyntaxException("Retry-After seconds out of range", -1);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (parameters != null) {
            for (Map.Entry<String, String> p : parameters.entrySet()) {
                Params.check(p.getKey(), p.getValue());
                copy.put(SipChars.lower(p.getKey()), p.getValue());
            }
        }
        parameters = Collections.unmodifiableMap(copy);
        if (comment != null) {
            new Parser(new Scanner("(" + comment + ")")).comment();
        }
    }

    /**
     * Parses a Retry-After value.
     *
     * @throws SipSyntaxException on a missing number, an unbalanced comment or a bad duration
     */
    public static RetryAfter parse(String value) {
        return new Parser(new Scanner(value)).retryAfter();
    }

    /** The duration parameter (§20.33), -1 when absent. */
    public long duration() {
        String d = parameters.get("duration");
        return d == null ? -1 : HeaderValues.parseDeltaSeconds(d);
    }

    /** Canonical form: {@code seconds[ (comment)][;params]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(seconds);
        if (comment != null) {
            b.append(" (").append(comment).append(')');
        }
        Params.append(b, parameters);
        return b.toString();
    }

    private static final class Parser {
        private final Scanner s;

        Parser(Scanner s) {
            this.s = s;
        }

        RetryAfter retryAfter() {
            s.sws();
            long seconds = Math.min(s.digits("delta-seconds"), HeaderValues.MAX_DELTA_SECONDS);
            s.sws();
            String comment = s.at('(') ? comment() : null;
            Map<String, String> params = new LinkedHashMap<>();
            while (s.acceptSeparator(';')) {
                int start = s.pos;
                Params.genericParam(s, params);
                if (params.containsKey("duration") && !isDigits(params.get("duration"))) {
                    // retry-param = ("duration" EQUAL delta-seconds) / generic-param
                    throw s.fail("duration must be delta-seconds", start);
                }
            }
            s.sws();
            if (!s.atEnd()) {
                throw s.fail("unexpected character in Retry-After");
            }
            return new RetryAfter(seconds, comment, params);
        }

        /**
         * comment = LPAREN *(ctext / quoted-pair / comment) RPAREN; returns the text between the
         * outer parentheses, trimmed of LWS.
         */
        String comment() {
            int start = s.pos;
            s.expect('(', "'('");
            int depth = 1;
            while (depth > 0) {
                if (s.atEnd()) {
                    throw s.fail("unterminated comment", start);
                }
                char c = s.peek();
                if (c == '\\') {
                    s.pos++;
                    if (s.atEnd() || s.peek() == '\r' || s.peek() == '\n' || s.peek() > 0x7f) {
                        throw s.fail("bad quoted-pair in comment");
                    }
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (!isCtext(c)) {
                    throw s.fail("character not allowed in comment");
                }
                s.pos++;
            }
            String inner = s.text.substring(start + 1, s.pos - 1).strip();
            s.sws();
            return inner;
        }

        /** ctext = %x21-27 / %x2A-5B / %x5D-7E / UTF8-NONASCII / LWS. */
        private static boolean isCtext(char c) {
            return (c >= 0x21 && c <= 0x27) || (c >= 0x2a && c <= 0x5b) || (c >= 0x5d && c <= 0x7e)
                    || c >= 0x80 || c == ' ' || c == '\t';
        }

        private static boolean isDigits(String v) {
            if (v == null || v.isEmpty()) {
                return false;
            }
            for (int i = 0; i < v.length(); i++) {
                if (!SipChars.isDigit(v.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
