package io.edgesbc.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallPermitTest {

  private final ConcurrencyLimiter a = new ConcurrencyLimiter(Scope.RULE, "a", 2, new AtomicInteger());
  private final ConcurrencyLimiter b = new ConcurrencyLimiter(Scope.GLOBAL, "global", 9, new AtomicInteger());

  @Test
  void releasesEveryHeldLimiterOnce() {
    assertThat(a.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    CallPermit p = new CallPermit(new ConcurrencyLimiter[] {a, b});
    assertThat(p.heldLimits()).isEqualTo(2);
    assertThat(p.isReleased()).isFalse();
    assertThat(p.release()).isTrue();
    assertThat(p.release()).isFalse();
    assertThat(p.release()).isFalse();
    assertThat(p.isReleased()).isTrue();
    assertThat(a.inUse()).isZero();
    assertThat(b.inUse()).isZero();
  }

  @Test
  void racingReleasesReleaseOnce() throws InterruptedException {
    for (int round = 0; round < 200; round++) {
      assertThat(a.tryAcquire()).isTrue();
      CallPermit p = new CallPermit(new ConcurrencyLimiter[] {a});
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger winners = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (p.release()) {
            winners.incrementAndGet();
          }
        });
        th.start();
        threads.add(th);
      }
      start.countDown();
      for (Thread th : threads) {
        th.join();
      }
      assertThat(winners).hasValue(1);
      assertThat(a.inUse()).isZero();
    }
  }

  @Test
  void limiterStopsAtItsLimitAndRefusesToGoNegative() {
    assertThat(a.tryAcquire()).isTrue();
    assertThat(a.tryAcquire()).isTrue();
    assertThat(a.tryAcquire()).isFalse();
    assertThat(a.inUse()).isEqualTo(2);
    a.release();
    a.release();
    assertThatThrownBy(a::release).isInstanceOf(IllegalStateException.class);
    assertThat(a.inUse()).isZero();
  }
}
