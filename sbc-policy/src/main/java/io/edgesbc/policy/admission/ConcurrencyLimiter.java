package io.edgesbc.policy.admission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts calls in progress against a maximum. The count is changed only by a CAS loop that checks
 * the limit first, so no thread ever observes it above the limit because of a failed attempt
 * (increment-then-check would briefly overshoot and wrongly refuse a racing call).
 */
final class ConcurrencyLimiter {

  private final Scope scope;
  private final String name;
  private final int limit;
  /** May be shared with the limiter of the previous policy generation, see the controller. */
  private final AtomicInteger inUse;

  ConcurrencyLimiter(Scope scope, String name, int limit, AtomicInteger inUse) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.scope = scope;
    this.name = name;
    this.limit = limit;
    this.inUse = inUse;
  }

  boolean tryAcquire() {
    for (;;) {
      int current = inUse.get();
      if (current >= limit) {
        return false;
      }
      if (inUse.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    int after = inUse.decrementAndGet();
    if (after < 0) {
      // Only a bug in CallPermit could get here; undo so the limiter stays usable, and say so.
      inUse.incrementAndGet();
      throw new IllegalStateException(scope + " '" + name + "' released more often than acquired");
    }
  }

  Scope scope() {
    return scope;
  }

  String name() {
    return name;
  }

  int limit() {
    return limit;
  }

  int inUse() {
    return inUse.get();
  }

  AtomicInteger counter() {
    return inUse;
  }

  LimitUsage usage() {
    return new LimitUsage(scope, name, inUse.get(), limit);
  }
}
