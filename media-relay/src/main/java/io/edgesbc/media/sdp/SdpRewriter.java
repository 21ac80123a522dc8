package io.edgesbc.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites a session description for one leg so that media flows through the relay. The rules
 * are listed in the {@linkplain io.edgesbc.media.sdp package overview}. Stateless and
 * thread-safe; the per-leg state is the caller's {@link LegSdpState}.
 */
public final class SdpRewriter {

    /** ICE attributes (RFC 8839 §5) removed unless {@link Options#keepIce()}. */
    private static final Set<String> ICE_ATTRIBUTES = Set.of("candidate", "ice-ufrag", "ice-pwd",
            "ice-options", "ice-lite", "ice-mismatch", "remote-candidates", "end-of-candidates");

    /**
     * Rewrite options.
     *
     * @param keepIce     keep ICE attributes instead of removing them
     * @param codecPolicy applied to every media section after the address rewrite
     */
    public record Options(boolean keepIce, CodecPolicy codecPolicy) {

        /** Checks for null. */
        public Options {
            Objects.requireNonNull(codecPolicy, "codecPolicy");
        }

        /** Remove ICE, keep every codec. */
        public static Options defaults() {
            return new Options(false, CodecPolicy.allowAll());
        }
    }

    /**
     * The outcome of a rewrite.
     *
     * @param description the description to send on the leg
     * @param state       the leg state to pass to the next rewrite on the same leg
     */
    public record Result(SessionDescription description, LegSdpState state) {
    }

    private final Options options;

    /** A rewriter with the given options. */
    public SdpRewriter(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A rewriter with {@link Options#defaults()}. */
    public SdpRewriter() {
        this(Options.defaults());
    }

    /**
     * Rewrites {@code in} for a leg.
     *
     * @param in         the description received on the other leg
     * @param allocation relay endpoints per media section index
     * @param state      what was last sent on this leg ({@link LegSdpState#initial()} at first)
     * @return the description to send and the new leg state
     * @throws IllegalArgumentException if a media section with a non-zero port has no endpoint
     */
    public Result rewrite(SessionDescription in, RelayAllocation allocation, LegSdpState state) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(allocation, "allocation");
        Objects.requireNonNull(state, "state");

        Connection relaySession = Connection.of(allocation.sessionAddress());
        Optional<Connection> oldSession = in.connection();
        // RFC 3264 §8.4: c=0.0.0.0 is an old-style hold; it stays, it is not an address to hide
        Optional<Connection> newSession = oldSession.map(c -> c.isHoldAddress() ? c : relaySession);

        List<SdpField> sessionFields = new ArrayList<>(in.fields().size());
        for (SdpField f : in.fields()) {
            if (f instanceof Connection) {
                sessionFields.add(newSession.orElseThrow());
            } else if (!isDroppedIce(f)) {
                sessionFields.add(f);
            }
        }

        List<MediaDescription> media = new ArrayList<>(in.media().size());
        for (int i = 0; i < in.media().size(); i++) {
            MediaDescription m = in.media().get(i);
            MediaDescription out = m.isRejected()
                    ? m.withFields(withoutIce(m.fields()))
                    : rewriteMedia(i, m, allocation, newSession);
            media.add(options.codecPolicy().apply(out));
        }

        SessionDescription candidate = new SessionDescription(in.origin(), in.sessionName(), sessionFields, media);
        SessionDescription out = versioned(candidate, in, allocation, state);
        return new Result(out, LegSdpState.after(out));
    }

    private MediaDescription rewriteMedia(int index, MediaDescription m, RelayAllocation allocation,
                                          Optional<Connection> session) {
        RelayAllocation.Endpoint ep = allocation.endpoint(index).orElseThrow(() ->
                new IllegalArgumentException("no relay endpoint for media section " + index));
        Connection relay = Connection.of(ep.address());
        List<SdpField> fields = new ArrayList<>(m.fields().size() + 1);
        boolean ownConnection = false;
        for (SdpField f : m.fields()) {
            if (f instanceof Connection c) {
                if (!ownConnection) { // further c= lines (layered multicast) have no relay meaning
                    fields.add(c.isHoldAddress() ? c : relay);
                }
                ownConnection = true;
            } else if (f instanceof Attribute a && a.name().equals("rtcp")) {
                fields.add(rewriteRtcp(a, ep, relay));
            } else if (!isDroppedIce(f)) {
                fields.add(f);
            }
        }
        if (!ownConnection && (session.isEmpty()
                || (!session.get().isHoldAddress() && !session.get().equals(relay)))) {
            // RFC 8866 §5.7: a media-level c= overrides the session one; m, i, c is the order
            int at = !fields.isEmpty() && fields.get(0).type() == 'i' ? 1 : 0;
            fields.add(at, relay);
        }
        return new MediaDescription(m.media(), ep.rtpPort(), m.portCount(), m.proto(), m.formats(), fields);
    }

    // RFC 3605 §2.1: a=rtcp:<port> [<nettype> <addrtype> <connection-address>]
    private static Attribute rewriteRtcp(Attribute a, RelayAllocation.Endpoint ep, Connection relay) {
        Optional<Rtcp> old = a.value() == null ? Optional.empty() : Rtcp.parse(a.value());
        Connection address = null;
        if (old.isPresent() && old.get().connection() != null) {
            address = old.get().connection().isHoldAddress() ? old.get().connection() : relay;
        }
        return Attribute.of("rtcp", new Rtcp(ep.rtcpPort(), address).text());
    }

    private boolean isDroppedIce(SdpField f) {
        return !options.keepIce() && f instanceof Attribute a && ICE_ATTRIBUTES.contains(a.name());
    }

    private List<SdpField> withoutIce(List<SdpField> fields) {
        List<SdpField> out = new ArrayList<>(fields.size());
        for (SdpField f : fields) {
            if (!isDroppedIce(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * RFC 3264 §8: the leg keeps one origin; its version goes up by one when, and only when, the
     * description differs from the one last sent. The first description on a leg keeps the
     * incoming username, session id and version, with the relay session address.
     */
    private static SessionDescription versioned(SessionDescription candidate, SessionDescription in,
                                                RelayAllocation allocation, LegSdpState state) {
        Optional<SessionDescription> last = state.lastSent();
        if (last.isEmpty()) {
            return candidate.withOrigin(in.origin().withAddress(allocation.sessionAddress()));
        }
        Origin previous = last.get().origin();
        SessionDescription same = candidate.withOrigin(previous);
        return same.equals(last.get()) ? last.get() : candidate.withOrigin(previous.withNextVersion());
    }
}
