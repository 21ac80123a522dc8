package io.edgesbc.sip.parse;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.Headers;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.WireSource;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Message to bytes.
 *
 * <p>A message parsed from the wire and not changed is written back byte-exact (a copy of the
 * bytes it came from, without anything that followed its body in the datagram). An edited or
 * built message is written in canonical form: the start line; every known header with its long
 * name, ": " and its unfolded value; every unknown header that arrived on the wire and was not
 * touched exactly as it arrived; the empty line; the body. Content-Length is always correct
 * because the builder sets it (RFC 3261 §20.14).
 *
 * <p>Stateless and thread-safe.
 */
public final class SipWriter {

    private SipWriter() {
    }

    public static byte[] toBytes(SipMessage message) {
        WireSource wire = message.wire();
        if (wire != null) {
            return Arrays.copyOfRange(wire.bytes(), wire.start(), wire.end());
        }
        return canonical(message);
    }

    /** Writes the message into {@code out} (which the caller owns and releases). */
    public static void writeTo(SipMessage message, ByteBuf out) {
        WireSource wire = message.wire();
        if (wire != null) {
            out.writeBytes(wire.bytes(), wire.start(), wire.end() - wire.start());
        } else {
            out.writeBytes(canonical(message));
        }
    }

    /**
     * Canonical form, measured then written straight into the one output array. Per header line,
     * the cheapest source that gives the same bytes: an untouched unknown line is copied as it
     * came; a value as received that is on one line and ASCII is its own canonical form and is
     * copied; only the other values (edited or added ones, folded or non-ASCII ones) are encoded
     * from their String. Lines that arrive as the canonical form would write them (the codec marks
     * them while framing) and lie next to each other are copied as one block. No per-line arrays
     * for what is copied, no concatenated Strings.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): see putAscii
    private static byte[] canonical(SipMessage message) {
        Headers headers = message.headers();
        int n = headers.size();
        // Measured first, written second, without remembering anything per line: the second pass
        // asks again (cheap: a line's own bytes are looked at again only when it is neither in a
        // run nor edited, which is rare), so no per-line arrays are made.
        int size = startLineLength(message) + 2;
        for (int i = 0; i < n; i++) {
            int runEnd = headers.receivedRunEnd(i);
            if (runEnd > i) {
                size += headers.receivedRunLength(i, runEnd);
                i = runEnd - 1;
                continue;
            }
            if (writesSourceLine(headers, i)) {
                size += headers.sourceLineLength(i) + 2;
                continue;
            }
            HeaderName name = headers.name(i);
            size += (name.isKnown() ? name.canonical().length() : utf8Length(name.canonical())) + 2;
            int plain = headers.plainSourceValueLength(i);
            size += (plain >= 0 ? plain : utf8Length(headers.value(i))) + 2;
        }
        size += 2 + message.bodyLength();
        byte[] out = new byte[size];
        int at = writeStartLine(message, out, 0);
        at = crlf(out, at);
        for (int i = 0; i < n; i++) {
            int runEnd = headers.receivedRunEnd(i);
            if (runEnd > i) {
                // Lines that are written as they came (CRLF included) and lie together in the
                // received bytes: one copy for the lot.
                at += headers.copyReceivedRun(i, runEnd, out, at);
                i = runEnd - 1;
                continue;
            }
            if (writesSourceLine(headers, i)) {
                at += headers.copySourceLine(i, out, at);
            } else {
                HeaderName name = headers.name(i);
                at = name.isKnown() ? putAscii(out, at, name.canonical()) : put(out, at, name.canonical());
                out[at++] = ':';
                out[at++] = ' ';
                if (headers.plainSourceValueLength(i) >= 0) {
                    at += headers.copyPlainSourceValue(i, out, at);
                } else {
                    at = put(out, at, headers.value(i));
                }
            }
            at = crlf(out, at);
        }
        at = crlf(out, at);
        message.copyBody(out, at);
        return out;
    }

    /**
     * Writes a String known to be ASCII (the long names of known headers); the JDK copies it as a
     * block, which the per-char loop of {@link #put} cannot match.
     */
    @SuppressWarnings("deprecation")
    private static int putAscii(byte[] dst, int at, String ascii) {
        ascii.getBytes(0, ascii.length(), dst, at);
        return at + ascii.length();
    }

    /** Unknown headers that arrived on the wire and were not touched are copied as they came. */
    private static boolean writesSourceLine(Headers headers, int i) {
        return !headers.name(i).isKnown() && headers.hasSourceLine(i);
    }

    // ---- start line, piece by piece (the same text as SipMessage.startLine()) ----------------

    private static int startLineLength(SipMessage message) {
        if (message instanceof SipRequest r) {
            return utf8Length(r.method()) + 1 + utf8Length(r.requestUri().toString()) + 1 + utf8Length(r.version());
        }
        SipResponse r = (SipResponse) message;
        return utf8Length(r.version()) + 1 + decimalLength(r.statusCode()) + 1 + utf8Length(r.reasonPhrase());
    }

    private static int writeStartLine(SipMessage message, byte[] out, int at) {
        if (message instanceof SipRequest r) {
            at = put(out, at, r.method());
            out[at++] = ' ';
            at = put(out, at, r.requestUri().toString());
            out[at++] = ' ';
            return put(out, at, r.version());
        }
        SipResponse r = (SipResponse) message;
        at = put(out, at, r.version());
        out[at++] = ' ';
        at = putDecimal(out, at, r.statusCode());
        out[at++] = ' ';
        return put(out, at, r.reasonPhrase());
    }

    // ---- text to bytes -------------------------------------------------------------------

    /** Length of {@code text} in UTF-8: its char count when it is ASCII, as it nearly always is. */
    private static int utf8Length(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }

    /**
     * Writes {@code text} as UTF-8; returns the position after it. ASCII (nearly always) is
     * checked first and then copied as a block by the JDK, which beats a store per char.
     */
    private static int put(byte[] dst, int at, String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                // Non-ASCII: encode the whole String once, exactly as utf8Length measured it.
                byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(encoded, 0, dst, at, encoded.length);
                return at + encoded.length;
            }
        }
        return putAscii(dst, at, text);
    }

    private static int decimalLength(int value) {
        return Integer.toString(value).length();
    }

    private static int putDecimal(byte[] dst, int at, int value) {
        return put(dst, at, Integer.toString(value));
    }

    private static int crlf(byte[] dst, int at) {
        dst[at] = '\r';
        dst[at + 1] = '\n';
        return at + 2;
    }
}
