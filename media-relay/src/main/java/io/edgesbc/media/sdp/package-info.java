/**
 * SDP for the media relay: an immutable model, a parser and writer (RFC 8866, which obsoletes
 * RFC 4566) and the per-leg rewrite that steers media through the relay (offer/answer per
 * RFC 3264). Nothing here knows SIP.
 *
 * <h2>Model</h2>
 * {@link io.edgesbc.media.sdp.SessionDescription} holds the origin, the session name, the
 * session-level lines after {@code s=} and the {@link io.edgesbc.media.sdp.MediaDescription}s.
 * Each section keeps its lines as an ordered list of {@link io.edgesbc.media.sdp.SdpField}s
 * ({@link io.edgesbc.media.sdp.Connection}, {@link io.edgesbc.media.sdp.Bandwidth},
 * {@link io.edgesbc.media.sdp.Attribute}, and {@link io.edgesbc.media.sdp.GenericField} for
 * everything written back as text), so unknown lines and attributes keep their text and their
 * place. Typed views (direction, rtpmap, fmtp, rtcp, effective connection) are computed from the
 * lines.
 *
 * <h2>Parsing and writing</h2>
 * {@link io.edgesbc.media.sdp.SdpParser} accepts LF or CRLF and trailing whitespace on
 * structured lines, and refuses structural errors with an
 * {@link io.edgesbc.media.sdp.SdpParseException} carrying the line number; no other exception
 * escapes it. {@link io.edgesbc.media.sdp.SdpWriter} writes CRLF. A description parsed from CRLF
 * input whose structured lines ({@code v o c b t m}, flag attributes) carry no trailing
 * whitespace is written back byte for byte; LF input comes back with CRLF.
 *
 * <h2>Rewrite rules</h2>
 * {@link io.edgesbc.media.sdp.SdpRewriter#rewrite} takes a description, a
 * {@link io.edgesbc.media.sdp.RelayAllocation} (per media section index: relay address and RTP
 * port, RTCP port RTP + 1 unless given; plus a session address) and the caller's
 * {@link io.edgesbc.media.sdp.LegSdpState}:
 * <ol>
 * <li><b>Rejected sections</b> (port 0, RFC 3264 §6 and §8.2) keep their port, their {@code c=}
 *     and their {@code a=rtcp}; they need no allocation. Only ICE lines are removed from them.</li>
 * <li><b>Ports.</b> The m= port of every other section becomes its relay RTP port; a port count
 *     ({@code /2}) is kept.</li>
 * <li><b>Connection addresses</b> (RFC 8866 §5.7). A session-level {@code c=} becomes
 *     {@code IN IP4|IP6 <session address>}; the first media-level {@code c=} becomes
 *     {@code IN IP4|IP6 <relay address>} of that section, further media-level {@code c=} lines
 *     (layered multicast) are dropped. The address type follows the relay address, so IPv6
 *     input may become IPv4 and the reverse. A section without its own {@code c=} whose relay
 *     address differs from the session-level {@code c=} gets a media-level {@code c=} after its
 *     {@code m=} (and {@code i=}) line.</li>
 * <li><b>Old-style hold.</b> {@code c=IN IP4 0.0.0.0} (RFC 2543 hold, which RFC 3264 §8.4 still
 *     asks answerers to understand) is kept as is, at session or media level: replacing it
 *     with the relay address would turn the hold into "send to the relay". The m= port is still
 *     replaced, so the internal port does not leak; sections inheriting a session-level
 *     0.0.0.0 get no media-level {@code c=}. Hold by direction attribute ({@code a=sendonly},
 *     {@code a=inactive}, RFC 3264 §8.4) needs nothing special: attributes are kept.</li>
 * <li><b>RTCP</b> (RFC 3605). {@code a=rtcp} gets the relay RTCP port; if it named an address,
 *     that becomes the relay address (0.0.0.0 is kept).</li>
 * <li><b>ICE</b> (RFC 8839). {@code a=candidate}, {@code a=ice-ufrag}, {@code a=ice-pwd},
 *     {@code a=ice-options}, {@code a=ice-lite}, {@code a=ice-mismatch},
 *     {@code a=remote-candidates} and {@code a=end-of-candidates} are removed at both levels,
 *     unless {@link io.edgesbc.media.sdp.SdpRewriter.Options#keepIce()}.</li>
 * <li><b>Codecs.</b> The {@link io.edgesbc.media.sdp.CodecPolicy} is then applied per section:
 *     refused payload types leave the m= line with their rtpmap, fmtp and rtcp-fb lines, the
 *     rest are reordered; a section left without a media-carrying payload type is rejected with
 *     port 0 (RFC 3264 §6).</li>
 * <li><b>Origin and version</b> (RFC 3264 §8). On the first rewrite for a leg the {@code o=}
 *     keeps the incoming username, session id and version, with the session address. After
 *     that the leg's origin stays fixed and its version is raised by exactly one only when the
 *     rewritten description differs from the last one sent; a repeated identical offer keeps the
 *     version.</li>
 * <li>Everything else (other attributes, {@code b=}, {@code i=}, {@code t=}, unknown lines) is
 *     kept in its order.</li>
 * </ol>
 */
package io.edgesbc.media.sdp;
