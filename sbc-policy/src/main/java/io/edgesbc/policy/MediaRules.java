package io.edgesbc.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How media of a routed call is handled.
 *
 * @param latching how the relay learns the remote RTP address, or null for the relay realm's
 *     default
 * @param timeout no RTP for this long ends the call, or null for the relay's default
 */
public record MediaRules(Mode mode, Latching latching, Duration timeout) {

  /** Whether RTP flows through the relay. */
  public enum Mode {
    /** Relay anchors media: SDP is rewritten to point at the relay. */
    ANCHOR,
    /** Endpoints exchange media directly; SDP passes unchanged. */
    BYPASS
  }

  /** How the relay learns the remote RTP address. */
  public enum Latching {
    /** Latch onto the source of the first packets (NAT-friendly). */
    LATCH,
    /** Only accept media from the address signalled in SDP. */
    STRICT
  }

  /** Anchored, with the relay's latching and timeout: what a call gets when no one says more. */
  public static final MediaRules DEFAULT = new MediaRules(Mode.ANCHOR, null, null);

  public MediaRules {
    Objects.requireNonNull(mode, "mode");
  }
}
