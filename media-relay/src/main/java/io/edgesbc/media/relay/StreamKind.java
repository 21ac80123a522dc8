package io.edgesbc.media.relay;

/** The socket a stream uses: the RTP port or the RTCP port (RTP + 1). */
public enum StreamKind {
    /** RTP (RFC 3550 §5); with rtcp-mux (RFC 5761) also carries RTCP. */
    RTP,
    /** RTCP (RFC 3550 §6). */
    RTCP
}
