package io.edgesbc.policy.admission;

import io.edgesbc.policy.LimitsRef;
import java.util.concurrent.atomic.AtomicInteger;

/** The limiters of one {@link LimitsRef}; either may be null when that limit is not set. */
record LimitSet(Scope scope, String name, ConcurrencyLimiter concurrent, RateLimiter rate) {

  static LimitSet of(Scope scope, String name, LimitsRef ref, AtomicInteger counter, long now) {
    ConcurrencyLimiter c = ref.concurrentCalls() > 0
        ? new ConcurrencyLimiter(scope, name, ref.concurrentCalls(), counter) : null;
    RateLimiter r = ref.callsPerSecond() > 0
        ? new RateLimiter(ref.callsPerSecond(), Math.max(1, ref.burst()), now) : null;
    return new LimitSet(scope, name, c, r);
  }
}
