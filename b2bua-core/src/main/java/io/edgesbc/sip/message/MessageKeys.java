package io.edgesbc.sip.message;

/**
 * The values every message needs for routing and transaction matching, read eagerly by the codec
 * (so a message that reaches the stack has them, well-formed) and handed to the message.
 *
 * @param callId Call-ID (RFC 3261 §20.8)
 * @param cseq CSeq (§20.16)
 * @param topVia the first via-parm of the first Via header (§20.42)
 * @param from From (§20.20)
 * @param to To (§20.39)
 * @param maxForwards Max-Forwards (§20.22), or -1 when absent
 * @param contentLength the Content-Length as declared, or -1 when absent (datagram without it)
 */
public record MessageKeys(String callId, CSeq cseq, Via topVia, NameAddr from, NameAddr to,
                          int maxForwards, long contentLength) {
}
