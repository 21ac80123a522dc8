package io.edgesbc.policy;

import io.edgesbc.policy.match.RequestMatcher;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A rule after validation: its condition, the keys {@link RuleIndex} files it under, and what it
 * decides.
 */
record CompiledRule(String name, RequestMatcher matcher, IndexKeys keys, RuleAction action) {

  CompiledRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(action, "action");
  }

  /** The decision if the rule matches, else null (null rather than Optional: this is the hot path). */
  PolicyDecision decideIfMatches(RequestView view, RandomGenerator random) {
    return matcher.matches(view) ? action.decide(view, random) : null;
  }
}
