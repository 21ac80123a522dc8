package io.edgesbc.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final FakeTicker time = new FakeTicker();

  @Test
  void allowsTheBurstAtOnceThenTheSustainedRate() {
    RateLimiter r = new RateLimiter(2, 3, time.read());
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isFalse();
    time.advance(Duration.ofMillis(499));
    assertThat(r.tryTake(time.read())).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isFalse();
  }

  @Test
  void refillsNoFurtherThanTheBurst() {
    RateLimiter r = new RateLimiter(10, 2, time.read());
    time.advance(Duration.ofHours(5));
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isFalse();
  }

  @Test
  void refundReturnsOneTokenAndNeverMore() {
    RateLimiter r = new RateLimiter(1, 1, time.read());
    assertThat(r.tryTake(time.read())).isTrue();
    r.refund();
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isFalse();

    // A refund after the bucket refilled must not push it above its burst.
    time.advance(Duration.ofSeconds(10));
    r.refund();
    r.refund();
    assertThat(r.tryTake(time.read())).isTrue();
    assertThat(r.tryTake(time.read())).isFalse();
  }

  @Test
  void fractionalRates() {
    RateLimiter r = new RateLimiter(0.5, 1, time.read());
    assertThat(r.tryTake(time.read())).isTrue();
    time.advance(Duration.ofMillis(1999));
    assertThat(r.tryTake(time.read())).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(r.tryTake(time.read())).isTrue();
  }
}
