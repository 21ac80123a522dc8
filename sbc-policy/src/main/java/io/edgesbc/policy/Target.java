package io.edgesbc.policy;

import java.util.Objects;

/**
 * A next hop. Lower {@code priority} is tried first; among equal priorities the order is a
 * weighted random draw (like DNS SRV), so a weight-0 target is only used after the others.
 */
public record Target(String uri, int priority, int weight) {
  public Target {
    Objects.requireNonNull(uri, "uri");
    if (priority < 0 || weight < 0) {
      throw new IllegalArgumentException("priority and weight must be >= 0");
    }
  }
}
