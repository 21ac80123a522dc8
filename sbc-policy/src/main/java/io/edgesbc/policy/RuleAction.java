package io.edgesbc.policy;

import java.util.random.RandomGenerator;

/** What a matching rule produces. */
sealed interface RuleAction permits RejectAction, RouteAction {

  PolicyDecision decide(RequestView view, RandomGenerator random);
}
