package io.edgesbc.policy.admission;

import io.edgesbc.policy.LimitsRef;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A new call asking to be admitted.
 *
 * @param source address the call's request came from
 * @param trunk name of the trunk whose limits apply (the route's trunk, normally), or null
 * @param ruleLimits the routing rule's limits from {@link io.edgesbc.policy.PolicyDecision.Route#limits()}
 */
public record AdmissionRequest(InetAddress source, String trunk, LimitsRef ruleLimits) {

  public AdmissionRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(ruleLimits, "ruleLimits");
  }
}
