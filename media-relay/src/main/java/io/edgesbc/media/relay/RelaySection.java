package io.edgesbc.media.relay;

/**
 * One media section (m= line) of one leg: an RTP socket on an even port and an RTCP socket on
 * the next port (RFC 3550 §11).
 *
 * @param rtp  the RTP stream
 * @param rtcp the RTCP stream
 */
record RelaySection(RelayStream rtp, RelayStream rtcp) {
}
