/**
 * The RTP/RTCP relay engine: the {@link io.edgesbc.media.relay.MediaRelay} control API
 * (offer / answer / update / delete per call and leg, failures as
 * {@link io.edgesbc.media.relay.RelayResult.Failure} values), port pools per realm, the Netty
 * data plane (classify, check or latch the source, count, forward; RFC 3550, RFC 4961,
 * RFC 5761), media timeouts on an injected clock and ticker, and per-stream statistics
 * (RFC 3550 A.1, A.3, A.8). The model, the threading rules and the API are described in
 * {@code docs/MEDIA-RELAY.md}. Nothing here knows SIP.
 */
package io.edgesbc.media.relay;
