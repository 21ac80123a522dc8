package io.edgesbc.sip.parse;

/**
 * Limits the codec enforces so a peer cannot make it buffer or scan without bound. A message
 * over a limit is an invalid message (answered 400 where possible, RFC 3261 §21.4.1), never a
 * crash; on a stream transport it also ends the connection because framing is lost.
 *
 * @param maxStartLineLength longest start line, in bytes, without CRLF (default 8 KiB; a
 *        Request-URI rarely passes 1 KiB, but RFC 4475 §3.1.1.11 has a long one)
 * @param maxHeaderSectionLength longest header section, in bytes, from the start line to the
 *        empty line inclusive (default 32 KiB)
 * @param maxHeaderCount most header lines (continuation lines do not count; default 256)
 * @param maxBodyLength largest body in bytes (default 64 KiB, the largest UDP payload)
 */
public record ParseLimits(int maxStartLineLength, int maxHeaderSectionLength, int maxHeaderCount,
                          int maxBodyLength) {

    public static final ParseLimits DEFAULTS = new ParseLimits(8 * 1024, 32 * 1024, 256, 64 * 1024);

    public ParseLimits {
        if (maxStartLineLength <= 0 || maxHeaderSectionLength <= 0 || maxHeaderCount <= 0 || maxBodyLength < 0) {
            throw new IllegalArgumentException("parse limits must be positive");
        }
    }

    public static ParseLimits defaults() {
        return DEFAULTS;
    }

    /** The most bytes one message may occupy on a stream before framing gives up. */
    public int maxMessageLength() {
        return maxHeaderSectionLength + maxBodyLength;
    }
}
