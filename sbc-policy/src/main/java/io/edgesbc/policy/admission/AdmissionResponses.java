package io.edgesbc.policy.admission;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * SIP code, phrase and Retry-After for each {@link Reason}. Immutable; {@link #with} returns a
 * modified copy.
 *
 * <p>Defaults: limits answer 503 with a short Retry-After, because the condition clears by itself
 * and a 503 lets the peer fail over to another SBC; flood-guard refusals answer 403 without
 * Retry-After, because a flooding peer should not be told when to come back.
 */
public final class AdmissionResponses {

  public static final AdmissionResponses DEFAULTS = new AdmissionResponses(Map.of(
      Reason.CONCURRENT_CALLS, new RejectionResponse(503, "Service Unavailable", 5),
      Reason.CALLS_PER_SECOND, new RejectionResponse(503, "Service Unavailable", 1),
      Reason.FLOOD_RATE, RejectionResponse.of(403, "Forbidden"),
      Reason.FLOOD_BANNED, RejectionResponse.of(403, "Forbidden")));

  private final EnumMap<Reason, RejectionResponse> byReason;

  private AdmissionResponses(Map<Reason, RejectionResponse> byReason) {
    this.byReason = new EnumMap<>(byReason);
    for (Reason r : Reason.values()) {
      if (!this.byReason.containsKey(r)) {
        throw new IllegalArgumentException("no response for " + r);
      }
    }
  }

  public RejectionResponse get(Reason reason) {
    return byReason.get(reason);
  }

  public AdmissionResponses with(Reason reason, RejectionResponse response) {
    EnumMap<Reason, RejectionResponse> copy = new EnumMap<>(byReason);
    copy.put(Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(response, "response"));
    return new AdmissionResponses(copy);
  }
}
