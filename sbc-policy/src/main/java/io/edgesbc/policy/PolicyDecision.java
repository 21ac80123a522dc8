package io.edgesbc.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to do with a request. Pure data: the B2BUA applies it without re-interpreting the rules.
 */
public sealed interface PolicyDecision permits PolicyDecision.Reject, PolicyDecision.Route {

  /** Name of the rule that produced the decision ({@code "<no_match>"} for the default). */
  String ruleName();

  /**
   * Answer the request with a final error response.
   *
   * @param headers extra response headers, e.g. {@code Retry-After}
   */
  record Reject(int code, String reason, String ruleName, Map<String, String> headers)
      implements PolicyDecision {
    public Reject {
      if (code < 400 || code > 699) {
        throw new IllegalArgumentException("reject code must be 4xx-6xx: " + code);
      }
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(ruleName, "ruleName");
      headers = Map.copyOf(headers);
    }
  }

  /**
   * Forward the request.
   *
   * @param trunk the destination trunk's name, or null when the rule lists targets directly
   * @param targets next hops in the order to try them
   * @param failoverCodes final response codes from a target that make the B2BUA try the next one
   * @param numberRewrites user parts to put on the outgoing leg
   */
  record Route(
      String ruleName,
      String trunk,
      List<Target> targets,
      Set<Integer> failoverCodes,
      Rewrites numberRewrites,
      HeaderRules headerRules,
      CodecRules codecs,
      MediaRules media,
      LimitsRef limits)
      implements PolicyDecision {
    public Route {
      Objects.requireNonNull(ruleName, "ruleName");
      targets = List.copyOf(targets);
      failoverCodes = Set.copyOf(failoverCodes);
      Objects.requireNonNull(numberRewrites, "numberRewrites");
      Objects.requireNonNull(headerRules, "headerRules");
      Objects.requireNonNull(codecs, "codecs");
      Objects.requireNonNull(media, "media");
      Objects.requireNonNull(limits, "limits");
    }
  }
}
