package io.edgesbc.policy.admission;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Time that moves only when a test says so; starts far from zero to catch origin assumptions. */
final class FakeTicker implements Ticker {

  private final AtomicLong nanos = new AtomicLong(-7_000_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
