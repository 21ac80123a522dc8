package io.edgesbc.policy;

import io.edgesbc.policy.match.CidrBlock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A peer the SBC talks to: where its requests come from and where to send requests for it.
 *
 * @param realm realm its requests must arrive on, or null for any
 * @param from address blocks its requests come from; empty for a send-only trunk
 * @param targets next hops, sorted by priority
 * @param optionsPing OPTIONS keep-alive interval, or null when disabled (used by the future pinger)
 * @param limits admission limits shared by every call through this trunk ({@link LimitsRef#NONE}
 *     when unlimited); the key is {@code trunk:NAME}
 * @param media media handling of calls routed to this trunk whose rule has no {@code media}, or
 *     null when the trunk sets none
 * @param codecs codec rules of calls routed to this trunk whose rule has no {@code codecs}, or
 *     null when the trunk sets none
 */
public record Trunk(String name, String realm, List<CidrBlock> from, List<Target> targets,
    Duration optionsPing, LimitsRef limits, MediaRules media, CodecRules codecs) {

  public Trunk {
    Objects.requireNonNull(name, "name");
    from = List.copyOf(from);
    targets = List.copyOf(targets);
    Objects.requireNonNull(limits, "limits");
  }

  /** A trunk without its own media or codec rules. */
  public Trunk(String name, String realm, List<CidrBlock> from, List<Target> targets,
      Duration optionsPing, LimitsRef limits) {
    this(name, realm, from, targets, optionsPing, limits, null, null);
  }

  /** A trunk without admission limits. */
  public Trunk(String name, String realm, List<CidrBlock> from, List<Target> targets,
      Duration optionsPing) {
    this(name, realm, from, targets, optionsPing, LimitsRef.NONE);
  }

  /** Whether a request from {@code address} received on {@code requestRealm} comes from this trunk. */
  public boolean isSourceOf(InetAddress address, String requestRealm) {
    return sourceMatch(address, requestRealm) >= 0;
  }

  /**
   * The prefix length of the longest of this trunk's blocks that holds {@code address}, or -1 when
   * the request does not come from this trunk (wrong realm, or no block holds it).
   */
  public int sourceMatch(InetAddress address, String requestRealm) {
    if (realm != null && !realm.equals(requestRealm)) {
      return -1;
    }
    int best = -1;
    for (CidrBlock block : from) {
      if (block.prefixLength() > best && block.contains(address)) {
        best = block.prefixLength();
      }
    }
    return best;
  }
}
