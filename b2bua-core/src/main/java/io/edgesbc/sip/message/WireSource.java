package io.edgesbc.sip.message;

/**
 * Where a parsed message came from: the bytes it was parsed from (owned by the message from then
 * on; nobody writes to them) and the spans of the whole message and of its body.
 *
 * @param bytes the received bytes; never modified after parsing
 * @param start first byte of the start line
 * @param end one past the last byte of the message (end of the body as Content-Length counts it)
 * @param bodyStart first byte of the body
 */
public record WireSource(byte[] bytes, int start, int end, int bodyStart) {
    public int bodyLength() {
        return end - bodyStart;
    }
}
