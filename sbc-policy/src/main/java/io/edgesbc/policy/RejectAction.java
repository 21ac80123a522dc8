package io.edgesbc.policy;

import java.util.random.RandomGenerator;

/** A fixed rejection, built once at load time and returned as is. */
record RejectAction(PolicyDecision.Reject decision) implements RuleAction {

  @Override
  public PolicyDecision decide(RequestView view, RandomGenerator random) {
    return decision;
  }
}
