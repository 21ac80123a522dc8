package io.edgesbc.policy.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code burst} tokens refilled at {@code perSecond}, kept as the generic cell
 * rate algorithm: the whole state is one "theoretical arrival time", so a take is a single CAS and
 * needs no lock and no separate refill step. The bucket is full when that time is not after now.
 */
final class RateLimiter {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double perSecond;
  /** Nanoseconds one token is worth. */
  private final long interval;
  /** How far ahead of now the arrival time may run: the burst, in nanoseconds. */
  private final long tolerance;
  private final AtomicLong arrival;

  RateLimiter(double perSecond, int burst, long now) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("need a positive rate and burst: " + perSecond + "/" + burst);
    }
    this.perSecond = perSecond;
    this.interval = Math.max(1, Math.round(NANOS_PER_SECOND / perSecond));
    this.tolerance = Math.multiplyExact(interval, (long) burst);
    this.arrival = new AtomicLong(now);
  }

  boolean tryTake(long now) {
    for (;;) {
      long current = arrival.get();
      // Compare by difference: nanoTime values may wrap, only differences are meaningful.
      long base = current - now > 0 ? current : now;
      long next = base + interval;
      if (next - now > tolerance) {
        return false;
      }
      if (arrival.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  /**
   * Gives back one token taken by {@link #tryTake}. Never credits more than was taken: if the
   * bucket has refilled meanwhile, the arrival time just moves further into the past, where
   * {@link #tryTake} ignores it.
   */
  void refund() {
    arrival.addAndGet(-interval);
  }

  double perSecond() {
    return perSecond;
  }

  /** Nanoseconds after which an untouched bucket is full again, so forgetting it changes nothing. */
  long refillNanos() {
    return tolerance;
  }
}
