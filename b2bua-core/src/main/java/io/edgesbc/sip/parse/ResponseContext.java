package io.edgesbc.sip.parse;

import java.util.List;

/**
 * What a malformed request still yields so that it can be answered with 400 (RFC 3261 §8.2.6.2:
 * a response copies Via, From, To, Call-ID and CSeq from the request). Present only when the
 * message was a request (not ACK) whose Via and CSeq could be read, since the client transaction
 * matches responses on them; From, To and Call-ID are null when the request lacked them (RFC
 * 4475 §3.1.2.16). Values are as written (unfolded).
 *
 * @param method the method of the request line
 * @param vias the values of every Via line, topmost first
 */
public record ResponseContext(String method, List<String> vias, String from, String to, String callId,
                              String cseq) {
    public ResponseContext {
        vias = List.copyOf(vias);
    }
}
