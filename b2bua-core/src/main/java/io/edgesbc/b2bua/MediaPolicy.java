package io.edgesbc.b2bua;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How a call's media is handled, as a router decided it (the policy's {@code media:} and
 * {@code codecs:} actions). The B2BUA does not interpret it; it hands it to its
 * {@link MediaAnchor} with every SDP body of the call.
 *
 * @param bypass     pass SDP unchanged and anchor nothing (each side then learns the other's
 *                   media addresses: the operator chose that)
 * @param latchMode  "latch" or "strict", or null for the realm's default
 * @param timeout    no RTP for this long ends the call, or null for the relay's default
 * @param codecAllow encoding names allowed (empty: all)
 * @param codecDeny  encoding names removed
 * @param codecOrder encoding names moved to the front, in this order
 */
public record MediaPolicy(boolean bypass, String latchMode, Duration timeout, Set<String> codecAllow,
                          Set<String> codecDeny, List<String> codecOrder) {

    /** Anchored, the realms' latching and timeout, every codec. */
    public static final MediaPolicy DEFAULT = new MediaPolicy(false, null, null, Set.of(), Set.of(), List.of());

    public MediaPolicy {
        codecAllow = Set.copyOf(codecAllow);
        codecDeny = Set.copyOf(codecDeny);
        codecOrder = List.copyOf(codecOrder);
    }
}
