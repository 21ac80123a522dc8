package io.edgesbc.media.relay;

/**
 * How a stream decides where its peer is, configured per realm.
 */
public enum LatchMode {
    /**
     * Symmetric RTP (RFC 4961 §3): the first packet received on a stream fixes the peer's
     * address, replies go there, and packets from any other source are dropped and counted.
     * Until the first packet arrives, media goes to the address of the SDP. After an SDP update
     * from the peer, a packet from a new source that carries a new SSRC moves the latch.
     * Suits peers behind NAT.
     */
    LATCH,
    /** Only the address and port named in the SDP are accepted and sent to; nothing is learned. */
    STRICT
}
